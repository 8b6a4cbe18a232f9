import { describe, expect, it } from 'vitest';
import { appealStepOf, changeRows, dataRows, formatValue, maskPhones } from './timeline-format';

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

  it('shows a recorded visit and a symposium attendance without their ids, lists joined', () => {
    expect(dataRows({ visitId: 'v1', visitedOn: '2026-11-20', visitor: '陈杰', organisation: '经发中心', topics: ['用电', '招工'], problems: ['变压器容量不足'] })).toEqual([
      { key: 'visitedOn', value: '2026-11-20' },
      { key: 'visitor', value: '陈杰' },
      { key: 'organisation', value: '经发中心' },
      { key: 'topics', value: '用电、招工' },
      { key: 'problems', value: '变压器容量不足' },
    ]);
    expect(dataRows({ symposiumId: 's1', liaisonPoint: '皮草联络点', topic: '三季度座谈会', heldOn: '2026-08-14', people: ['沈丽', '李强'] }).map((row) => row.value)).toEqual(['皮草联络点', '三季度座谈会', '2026-08-14', '沈丽、李强']);
  });

  it('links an appeal step to its appeal page', () => {
    expect(appealStepOf('appeal.dispatch', { appealId: 'a1', number: 'SQ2025-000001', dueDate: '2025-10-10' })).toEqual({ action: 'dispatch', path: '/appeals/a1' });
    expect(appealStepOf('appeal.rate', { number: 'SQ2025-000001' })).toEqual({ action: 'rate', path: null });
    expect(appealStepOf('enterprise.updated', { appealId: 'a1' })).toBeNull();
  });
});
