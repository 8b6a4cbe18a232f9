import type { EnterpriseScale, EnterpriseStatus } from '@qinqing/contracts';
import { enterpriseScales, enterpriseStatuses } from './domain';

export const sortFields = ['name', 'revenue', 'landArea', 'updatedAt'] as const;
export type SortField = (typeof sortFields)[number];
export type Sort = SortField | `-${SortField}`;

/** The registry list as the URL query string holds it: shareable, and it survives a reload. */
export interface EnterpriseListState {
  q?: string;
  /** GB/T 4754 code at any level (C, 17, 171, 1713). */
  industry?: string;
  /** Division code at any level (6, 9 or 12 digits). */
  region?: string;
  scale?: EnterpriseScale;
  status?: EnterpriseStatus;
  park?: string;
  tags: string[];
  sort?: Sort;
  page: number;
  pageSize: number;
}

export const defaultPageSize = 20;
export const pageSizes = [10, 20, 50, 100] as const;

const industryPattern = /^([A-T]|\d{2,4})$/;
const regionPattern = /^\d{6,12}$/;

function text(params: URLSearchParams, key: string, max: number): string | undefined {
  const value = params.get(key)?.trim();
  return value ? value.slice(0, max) : undefined;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

function positiveInt(value: string | null, fallback: number): number {
  if (!value || !/^\d{1,6}$/.test(value)) return fallback;
  const parsed = Number(value);
  return parsed >= 1 ? parsed : fallback;
}

function isSort(value: string | null): value is Sort {
  if (!value) return false;
  const field = value.startsWith('-') ? value.slice(1) : value;
  return (sortFields as readonly string[]).includes(field);
}

/** Reads the list state from a query string; anything malformed (a hand-edited link) is dropped, not sent. */
export function parseListState(params: URLSearchParams): EnterpriseListState {
  const industry = params.get('industry');
  const region = params.get('region');
  const sort = params.get('sort');
  const pageSize = positiveInt(params.get('pageSize'), defaultPageSize);
  return {
    q: text(params, 'q', 50),
    industry: industry && industryPattern.test(industry) ? industry : undefined,
    region: region && regionPattern.test(region) ? region : undefined,
    scale: oneOf(params.get('scale'), enterpriseScales),
    status: oneOf(params.get('status'), enterpriseStatuses),
    park: text(params, 'park', 64),
    tags: [...new Set((params.get('tags') ?? '').split(',').map((tag) => tag.trim()).filter(Boolean))].slice(0, 30),
    sort: isSort(sort) ? sort : undefined,
    page: positiveInt(params.get('page'), 1),
    pageSize: (pageSizes as readonly number[]).includes(pageSize) ? pageSize : defaultPageSize,
  };
}

/** The query string for a list state, leaving out defaults so links stay short. */
export function toSearchParams(state: EnterpriseListState): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(toQuery(state))) if (value) params.set(key, value);
  if (state.page > 1) params.set('page', String(state.page));
  if (state.pageSize !== defaultPageSize) params.set('pageSize', String(state.pageSize));
  return params;
}

/** The filter and sort parameters the API takes (list, counts, export); page and size are added by the caller. */
export function toQuery(state: EnterpriseListState): Record<string, string | undefined> {
  return {
    q: state.q?.trim() || undefined,
    industry: state.industry,
    region: state.region,
    scale: state.scale,
    status: state.status,
    park: state.park?.trim() || undefined,
    tags: state.tags.length ? state.tags.join(',') : undefined,
    sort: state.sort,
  };
}

/** A new state after a filter change: back to page 1, since the old page may not exist any more. */
export function withFilter(state: EnterpriseListState, change: Partial<Omit<EnterpriseListState, 'page' | 'pageSize'>>): EnterpriseListState {
  return { ...state, ...change, page: 1 };
}

/** True when any filter (not sort or paging) is set. */
export function hasFilters(state: EnterpriseListState): boolean {
  return Boolean(state.q || state.industry || state.region || state.scale || state.status || state.park || state.tags.length);
}

/** antd Table sort order for a column, from the state's sort. */
export function sortOrderOf(state: EnterpriseListState, field: SortField): 'ascend' | 'descend' | null {
  if (state.sort === field) return 'ascend';
  if (state.sort === `-${field}`) return 'descend';
  return null;
}

/** The state's sort after antd Table reports a column's new order (null = back to the default, by name). */
export function sortFromTable(field: SortField | undefined, order: 'ascend' | 'descend' | null | undefined): Sort | undefined {
  if (!field || !order) return undefined;
  return order === 'descend' ? `-${field}` : field;
}
