import type { UnitKpi } from '@qinqing/contracts';
import { describe, expect, it } from 'vitest';
import { formatRate, parsePeriod, presetOf, presetPeriod, rankUnits } from './kpi-model';

describe('KPI periods', () => {
  it('gives this month, quarter and year, first to last day', () => {
    expect(presetPeriod('month', '2026-02-12')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetPeriod('month', '2028-02-12')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(presetPeriod('quarter', '2025-11-05')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(presetPeriod('quarter', '2026-04-30')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(presetPeriod('year', '2026-04-30')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('recognises a preset in the URL, else calls it custom; malformed periods fall back to this month', () => {
    expect(presetOf({ from: '2025-10-01', to: '2025-12-31' }, '2025-11-05')).toBe('quarter');
    expect(presetOf({ from: '2025-10-02', to: '2025-12-31' }, '2025-11-05')).toBe('custom');
    expect(parsePeriod(new URLSearchParams('from=2025-01-05&to=2025-02-01'), '2025-11-05')).toEqual({ from: '2025-01-05', to: '2025-02-01' });
    expect(parsePeriod(new URLSearchParams('from=2025-03-05&to=2025-02-01'), '2025-11-05')).toEqual({ from: '2025-11-01', to: '2025-11-30' });
    expect(parsePeriod(new URLSearchParams('from=yesterday'), '2025-11-05')).toEqual({ from: '2025-11-01', to: '2025-11-30' });
  });

  it('shows rates as percentages, one decimal at most', () => {
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(0.8333)).toBe('83.3%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(null)).toBe('—');
  });
});

describe('unit ranking', () => {
  const unit = (organisationName: string, onTimeRate: number | null, answeredOnTime = 0): UnitKpi => ({
    organisationId: organisationName,
    organisationName,
    dispatched: 1,
    signed: 1,
    signRate: 1,
    answered: answeredOnTime,
    answeredOnTime,
    overdue: 0,
    onTimeRate,
    rated: 0,
    satisfied: 0,
    satisfactionRate: null,
    returns: 0,
    averageHandlingDays: null,
  });

  it('ranks by 按期办结率, then by answers on time, units without a rate last', () => {
    const ranked = rankUnits([unit('水务', null), unit('供电所', 0.5, 1), unit('小学', 1, 1), unit('燃气', 1, 3), unit('税务所', 0, 0)]);
    expect(ranked.map((item) => item.organisationName)).toEqual(['燃气', '小学', '供电所', '税务所', '水务']);
  });
});
