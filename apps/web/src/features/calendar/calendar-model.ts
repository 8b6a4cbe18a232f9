import type { CalendarDay } from '@qinqing/contracts';

/**
 * How a date shows in the year view: an ordinary workday or weekend, a holiday on a weekday, a 调休 workday on
 * a weekend. `isEdited` marks a person's entry (source manual), whatever its value.
 */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted-workday';

export interface DayCell {
  date: string;
  day: number;
  /** 0 = Monday … 6 = Sunday (weeks start on Monday, as on Chinese calendars). */
  weekday: number;
  isWorkday: boolean;
  kind: DayKind;
  name: string | null;
  /** The stored row, when there is one. */
  entry: CalendarDay | null;
  isEdited: boolean;
}

export interface MonthGrid {
  month: number;
  /** Empty cells before the 1st, so the 1st sits under its weekday. */
  leadingBlanks: number;
  days: DayCell[];
}

const pad = (value: number) => String(value).padStart(2, '0');

/** 'YYYY-MM-DD' of a year, month (1–12) and day. */
export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

/** 0 = Monday … 6 = Sunday, computed in UTC so the viewer's time zone cannot shift it. */
export function mondayFirstWeekday(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const sundayFirst = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return (sundayFirst + 6) % 7;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** One date's standing: Monday–Friday unless the calendar has a row for it. */
export function dayCell(date: string, entry: CalendarDay | undefined): DayCell {
  const weekday = mondayFirstWeekday(date);
  const isWeekend = weekday >= 5;
  const isWorkday = entry ? entry.isWorkday : !isWeekend;
  const kind: DayKind = isWorkday ? (isWeekend ? 'adjusted-workday' : 'workday') : isWeekend ? 'weekend' : 'holiday';
  return {
    date,
    day: Number(date.slice(8, 10)),
    weekday,
    isWorkday,
    kind,
    name: entry?.name ?? null,
    entry: entry ?? null,
    isEdited: entry?.source === 'manual',
  };
}

/** The twelve months of a year with each date's standing, from the year's stored rows. */
export function yearGrid(year: number, entries: readonly CalendarDay[]): MonthGrid[] {
  const byDate = new Map(entries.map((entry) => [entry.date, entry]));
  return Array.from({ length: 12 }, (_, index) => {
    const month = index + 1;
    const days = Array.from({ length: daysInMonth(year, month) }, (_, d) => {
      const date = isoDate(year, month, d + 1);
      return dayCell(date, byDate.get(date));
    });
    return { month, leadingBlanks: days[0]!.weekday, days };
  });
}

/** Working days and days off in a year, for the summary line. */
export function countYear(grid: readonly MonthGrid[]): { workdays: number; daysOff: number; holidays: number; adjustedWorkdays: number } {
  const cells = grid.flatMap((month) => month.days);
  return {
    workdays: cells.filter((cell) => cell.isWorkday).length,
    daysOff: cells.filter((cell) => !cell.isWorkday).length,
    holidays: cells.filter((cell) => cell.kind === 'holiday').length,
    adjustedWorkdays: cells.filter((cell) => cell.kind === 'adjusted-workday').length,
  };
}
