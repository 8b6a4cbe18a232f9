import type { CalendarDay } from '@qinqing/contracts';
import { describe, expect, it } from 'vitest';
import { countYear, dayCell, mondayFirstWeekday, yearGrid } from './calendar-model';

const row = (date: string, isWorkday: boolean, name: string | null = null, source: CalendarDay['source'] = 'chinese-days'): CalendarDay => ({
  date,
  isWorkday,
  name,
  source,
  updatedAt: '2025-01-01T00:00:00.000Z',
  updatedBy: null,
});

describe('calendar year view', () => {
  it('puts weeks on Monday first, whatever the time zone', () => {
    expect(mondayFirstWeekday('2025-09-29')).toBe(0); // Monday
    expect(mondayFirstWeekday('2025-09-28')).toBe(6); // Sunday
    expect(mondayFirstWeekday('2025-10-01')).toBe(2); // Wednesday
    const grid = yearGrid(2025, []);
    expect(grid).toHaveLength(12);
    // 2025-01-01 is a Wednesday: two blanks; 2025-09-01 is a Monday: none.
    expect(grid[0]!.leadingBlanks).toBe(2);
    expect(grid[8]!.leadingBlanks).toBe(0);
    expect(grid.map((month) => month.days.length)).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(yearGrid(2024, [])[1]!.days).toHaveLength(29);
  });

  it('classifies dates: Monday–Friday by default, the stored rows otherwise', () => {
    expect(dayCell('2025-09-26', undefined)).toMatchObject({ kind: 'workday', isWorkday: true, entry: null, isEdited: false });
    expect(dayCell('2025-10-04', undefined)).toMatchObject({ kind: 'weekend', isWorkday: false });
    expect(dayCell('2025-10-01', row('2025-10-01', false, '国庆节'))).toMatchObject({ kind: 'holiday', isWorkday: false, name: '国庆节', isEdited: false });
    expect(dayCell('2025-09-28', row('2025-09-28', true, '国庆节'))).toMatchObject({ kind: 'adjusted-workday', isWorkday: true });
    // A manual row equal to the default (a package holiday undone by hand) shows as an edited workday.
    expect(dayCell('2023-10-03', row('2023-10-03', true, null, 'manual'))).toMatchObject({ kind: 'workday', isEdited: true });
  });

  it('counts working days and days off over the year', () => {
    const plain = countYear(yearGrid(2027, []));
    expect(plain).toEqual({ workdays: 261, daysOff: 104, holidays: 0, adjustedWorkdays: 0 });
    const withNotice = countYear(yearGrid(2025, [row('2025-10-01', false), row('2025-10-02', false), row('2025-09-28', true)]));
    expect(withNotice).toMatchObject({ holidays: 2, adjustedWorkdays: 1 });
    expect(withNotice.workdays + withNotice.daysOff).toBe(365);
  });
});
