/** The KPI dashboard: its periods as China calendar dates, and the unit ranking (pure, tested). */
import type { UnitKpi } from '@qinqing/contracts';

export const periodPresets = ['month', 'quarter', 'year'] as const;
export type PeriodPreset = (typeof periodPresets)[number];

export interface Period {
  from: string;
  to: string;
}

const pad = (value: number) => String(value).padStart(2, '0');

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** This month, quarter or year around `today` (YYYY-MM-DD), first to last day. */
export function presetPeriod(preset: PeriodPreset, today: string): Period {
  const [year, month] = today.split('-').map(Number) as [number, number];
  switch (preset) {
    case 'month':
      return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(lastDayOfMonth(year, month))}` };
    case 'quarter': {
      const first = Math.floor((month - 1) / 3) * 3 + 1;
      const last = first + 2;
      return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDayOfMonth(year, last))}` };
    }
    case 'year':
      return { from: `${year}-01-01`, to: `${year}-12-31` };
  }
}

/** Which preset a period is (for the picker), or 'custom'. */
export function presetOf(period: Period, today: string): PeriodPreset | 'custom' {
  return periodPresets.find((preset) => {
    const candidate = presetPeriod(preset, today);
    return candidate.from === period.from && candidate.to === period.to;
  }) ?? 'custom';
}

const datePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The period in the URL (?from=&to=), or this month when absent or malformed. */
export function parsePeriod(params: URLSearchParams, today: string): Period {
  const from = params.get('from');
  const to = params.get('to');
  if (from && to && datePattern.test(from) && datePattern.test(to) && from <= to) return { from, to };
  return presetPeriod('month', today);
}

/** A rate (0…1) as a percentage for people: 0.8333 → "83.3%", null → "—". */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  const percent = Math.round(rate * 1000) / 10;
  return `${Number.isInteger(percent) ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/**
 * Units ranked by 按期办结率, best first; ties go to the unit that finished more on time, then by name. Units
 * with nothing due or answered in the period (no rate) come last: they cannot be ranked.
 */
export function rankUnits(units: readonly UnitKpi[]): UnitKpi[] {
  return [...units].sort((a, b) => {
    if (a.onTimeRate === null || b.onTimeRate === null) {
      if (a.onTimeRate !== b.onTimeRate) return a.onTimeRate === null ? 1 : -1;
    } else if (a.onTimeRate !== b.onTimeRate) {
      return b.onTimeRate - a.onTimeRate;
    }
    if (a.answeredOnTime !== b.answeredOnTime) return b.answeredOnTime - a.answeredOnTime;
    return a.organisationName.localeCompare(b.organisationName, 'zh-CN');
  });
}
