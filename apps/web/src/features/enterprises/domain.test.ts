import * as contracts from '@qinqing/contracts';
import { describe, expect, it } from 'vitest';
import { ABOVE_SCALE_REVENUE, enterpriseScales, enterpriseStatuses } from './domain';

describe('enterprise constants copied from the contracts', () => {
  it('match the contracts', () => {
    expect(enterpriseStatuses).toEqual(contracts.enterpriseStatuses);
    expect(enterpriseScales).toEqual(contracts.enterpriseScales);
    expect(ABOVE_SCALE_REVENUE).toBe(contracts.ABOVE_SCALE_REVENUE);
  });
});
