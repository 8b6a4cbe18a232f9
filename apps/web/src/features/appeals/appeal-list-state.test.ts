import { describe, expect, it } from 'vitest';
import { hasAppealFilters, parseAppealListState, toAppealQuery, toAppealSearchParams, unitDrillDownPath, withAppealFilter } from './appeal-list-state';

const parse = (query: string) => parseAppealListState(new URLSearchParams(query));

describe('appeals list state in the URL', () => {
  it('defaults to page 1 of 20 without filters', () => {
    const state = parse('');
    expect(state).toMatchObject({ page: 1, pageSize: 20 });
    expect(hasAppealFilters(state)).toBe(false);
    expect(toAppealSearchParams(state).toString()).toBe('');
  });

  it('round-trips every filter', () => {
    const state = parse('q=%E9%AB%98%E5%8E%8B&state=open&status=in_progress&categoryCode=utilities&enterpriseId=e1&organisationId=o1&overdue=true&todo=true&from=2025-10-01&to=2025-10-31&page=2&pageSize=50');
    expect(state).toEqual({ q: '高压', state: 'open', status: 'in_progress', categoryCode: 'utilities', enterpriseId: 'e1', organisationId: 'o1', overdue: true, todo: true, from: '2025-10-01', to: '2025-10-31', page: 2, pageSize: 50 });
    expect(parseAppealListState(toAppealSearchParams(state))).toEqual(state);
    expect(toAppealQuery(state)).toMatchObject({ overdue: 'true', todo: 'true', status: 'in_progress' });
  });

  it('drops malformed values instead of sending them for a 400', () => {
    expect(parse('state=maybe&status=lost&categoryCode=Bad-Code&overdue=1&todo=yes&from=2025-13-01&to=x&pageSize=7&page=0')).toMatchObject({
      state: undefined,
      status: undefined,
      categoryCode: undefined,
      overdue: undefined,
      todo: undefined,
      from: undefined,
      to: undefined,
      page: 1,
      pageSize: 20,
    });
    expect(parse('from=2025-10-31&to=2025-10-01')).toMatchObject({ from: undefined, to: undefined });
    expect(parse('enterpriseId=%3Cscript%3E').enterpriseId).toBeUndefined();
  });

  it('goes back to page 1 when a filter changes', () => {
    expect(withAppealFilter(parse('page=4'), { overdue: true })).toMatchObject({ page: 1, overdue: true });
  });

  it('drills down from the KPI dashboard to one unit in a period', () => {
    expect(unitDrillDownPath('o1', '2025-10-01', '2025-12-31')).toBe('/appeals?organisationId=o1&from=2025-10-01&to=2025-12-31&dates=activity');
  });
});
