import { appealStatuses, type AppealStatus } from '@qinqing/contracts';

/** The appeals list as the URL holds it: shareable (the KPI drill-down links here), and it survives a reload. */
export interface AppealListState {
  q?: string;
  /** open = still being worked on or awaiting the rating; closed = declined, rated, archived or merged. */
  state?: 'open' | 'closed';
  status?: AppealStatus;
  categoryCode?: string;
  enterpriseId?: string;
  /** A handling unit (承办单位). */
  organisationId?: string;
  overdue?: boolean;
  /** 待办: what waits for the caller's step (the server decides by role). */
  todo?: boolean;
  /** Submitted between (China dates, inclusive) — or, with `dates: 'activity'`, worked on in that period. */
  from?: string;
  to?: string;
  /** The KPI drill-down's cases: steps in the period (of the unit, if one is chosen) or a deadline falling in it. */
  dates?: 'activity';
  page: number;
  pageSize: number;
}

export const defaultPageSize = 20;
export const pageSizes = [10, 20, 50, 100] as const;

const datePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const codePattern = /^[a-z][a-z0-9_]{1,31}$/;
const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

function positiveInt(value: string | null, fallback: number): number {
  if (!value || !/^\d{1,6}$/.test(value)) return fallback;
  const parsed = Number(value);
  return parsed >= 1 ? parsed : fallback;
}

const matching = (value: string | null, pattern: RegExp) => (value !== null && pattern.test(value) ? value : undefined);

/** Reads the list state from a query string; anything malformed (a hand-edited link) is dropped, not sent. */
export function parseAppealListState(params: URLSearchParams): AppealListState {
  const state = params.get('state');
  const status = params.get('status');
  const overdue = params.get('overdue');
  const pageSize = positiveInt(params.get('pageSize'), defaultPageSize);
  const from = matching(params.get('from'), datePattern);
  const to = matching(params.get('to'), datePattern);
  return {
    q: params.get('q')?.trim().slice(0, 50) || undefined,
    state: state === 'open' || state === 'closed' ? state : undefined,
    status: status && (appealStatuses as readonly string[]).includes(status) ? (status as AppealStatus) : undefined,
    categoryCode: matching(params.get('categoryCode'), codePattern),
    enterpriseId: matching(params.get('enterpriseId'), idPattern),
    organisationId: matching(params.get('organisationId'), idPattern),
    overdue: overdue === 'true' ? true : undefined,
    todo: params.get('todo') === 'true' ? true : undefined,
    // A range ending before it starts is dropped whole rather than sent for a 400.
    from: from && to && from > to ? undefined : from,
    to: from && to && from > to ? undefined : to,
    dates: params.get('dates') === 'activity' ? 'activity' : undefined,
    page: positiveInt(params.get('page'), 1),
    pageSize: (pageSizes as readonly number[]).includes(pageSize) ? pageSize : defaultPageSize,
  };
}

/** The filter parameters the API takes (page and size are added by the caller). */
export function toAppealQuery(state: AppealListState): Record<string, string | undefined> {
  return {
    q: state.q?.trim() || undefined,
    state: state.state,
    status: state.status,
    categoryCode: state.categoryCode,
    enterpriseId: state.enterpriseId,
    organisationId: state.organisationId,
    overdue: state.overdue ? 'true' : undefined,
    todo: state.todo ? 'true' : undefined,
    from: state.from,
    to: state.to,
    dates: state.from || state.to ? state.dates : undefined,
  };
}

/** The query string for a state, leaving out defaults so links stay short. */
export function toAppealSearchParams(state: AppealListState): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(toAppealQuery(state))) if (value) params.set(key, value);
  if (state.page > 1) params.set('page', String(state.page));
  if (state.pageSize !== defaultPageSize) params.set('pageSize', String(state.pageSize));
  return params;
}

/** A new state after a filter change: back to page 1, since the old page may not exist any more. */
export function withAppealFilter(state: AppealListState, change: Partial<Omit<AppealListState, 'page' | 'pageSize'>>): AppealListState {
  return { ...state, ...change, page: 1 };
}

export function hasAppealFilters(state: AppealListState): boolean {
  return Object.values(toAppealQuery(state)).some(Boolean);
}

/** The link the KPI dashboard drills down to: one unit's appeals in a period. */
export function unitDrillDownPath(organisationId: string, from: string, to: string): string {
  return `/appeals?${toAppealSearchParams({ organisationId, from, to, dates: 'activity', page: 1, pageSize: defaultPageSize }).toString()}`;
}
