import { describe, expect, it } from 'vitest';
import { changeRows, dataRows, formatValue, maskPhones } from './timeline-format';

describe('timeline details', () => {
  it('lists changed fields with before and after as text', () => {
    expect(
      changeRows({
        changes: {
          land_area: { before: 12.5, after: 13 },
          tags: { before: '["高新"]', after: '["高新","专精特新"]' },
          park: { before: null, after: '崇福工业园' },
        },
      }),
    ).toEqual([
      { field: 'land_area', before: '12.5', after: '13' },
      { field: 'tags', before: '高新', after: '高新、专精特新' },
      { field: 'park', before: '—', after: '崇福工业园' },
    ]);
    expect(changeRows({ creditCode: 'x' })).toBeNull();
    expect(changeRows(null)).toBeNull();
  });

  it('never shows a full mobile number, even when the stored change carries one', () => {
    expect(formatValue('[{"name":"李四","title":null,"phone":"13812345678"}]')).toBe('李四 138****5678');
    expect(maskPhones('tel 13900001111, id 913304831234567890')).toBe('tel 139****1111, id 913304831234567890');
  });

  it('shows other data without ids', () => {
    expect(dataRows({ creditCode: '91330483MA2B3C4D5E', override: false, userId: 'u1', requestId: 'r' })).toEqual([
      { key: 'creditCode', value: '91330483MA2B3C4D5E' },
      { key: 'override', value: '✗' },
    ]);
  });
});
