import type {
  CreateLiaisonPointInput,
  CreateSymposiumInput,
  CreateVisitInput,
  LastVisit,
  LiaisonPoint,
  LiaisonPointDetail,
  RecordVisitInput,
  ReplaceAttendanceInput,
  Symposium,
  SymposiumDetail,
  UpdateLiaisonPointInput,
  UpdateSymposiumInput,
  UpdateVisitInput,
  Visit,
  VisitPage,
  VisitStatus,
  VisitWithWarnings,
  Visitor,
} from '@qinqing/contracts';
import { api, apiDownload } from '../../app/api-client';
import type { Page } from '../../components/pagination';

export interface VisitQuery {
  from?: string;
  to?: string;
  enterpriseId?: string;
  visitorId?: string;
  organisationId?: string;
  /** Only the caller's own visits (我的走访). */
  mine?: 'true';
  status?: VisitStatus;
  order?: 'asc' | 'desc';
  page?: number;
  pageSize?: number;
}

/** Every visits query starts with this key, so one invalidation refreshes the calendar, lists and the file's card. */
export const visitsKey = ['visits'] as const;
export const visitKey = (id: string) => [...visitsKey, 'one', id] as const;
export const lastVisitKey = (enterpriseId: string) => [...visitsKey, 'last', enterpriseId] as const;
export const liaisonKey = ['liaison'] as const;
export const liaisonPointKey = (id: string) => [...liaisonKey, 'point', id] as const;
export const symposiumKey = (id: string) => [...liaisonKey, 'symposium', id] as const;

/** A page of visits; `hasMore` says more match than the page holds (the calendar shows a notice). */
export function findVisits(query: VisitQuery): Promise<VisitPage> {
  return api('/api/visits', { query: { ...query } });
}

export function exportVisits(query: Omit<VisitQuery, 'page' | 'pageSize' | 'order'>): Promise<void> {
  return apiDownload('/api/visits/export', { ...query }, 'visits.xlsx');
}

export function findVisitors(): Promise<Visitor[]> {
  return api('/api/visits/visitors');
}

export function getVisit(id: string): Promise<Visit> {
  return api(`/api/visits/${encodeURIComponent(id)}`);
}

export function createVisit(input: CreateVisitInput): Promise<VisitWithWarnings> {
  return api('/api/visits', { method: 'POST', body: input });
}

export function updateVisit(id: string, input: UpdateVisitInput): Promise<VisitWithWarnings> {
  return api(`/api/visits/${encodeURIComponent(id)}`, { method: 'PATCH', body: input });
}

export function recordVisit(id: string, input: RecordVisitInput): Promise<VisitWithWarnings> {
  return api(`/api/visits/${encodeURIComponent(id)}/record`, { method: 'POST', body: input });
}

export function cancelVisit(id: string, reason: string): Promise<Visit> {
  return api(`/api/visits/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: { reason } });
}

export function linkProblemAppeal(visitId: string, problemId: string, appealId: string): Promise<Visit> {
  return api(`/api/visits/${encodeURIComponent(visitId)}/problems/${encodeURIComponent(problemId)}/appeal`, { method: 'POST', body: { appealId } });
}

export function getLastVisit(enterpriseId: string): Promise<LastVisit> {
  return api(`/api/enterprises/${encodeURIComponent(enterpriseId)}/last-visit`);
}

// Liaison points and symposiums

export function findLiaisonPoints(query: { q?: string; isActive?: 'true' | 'false'; page: number; pageSize: number }): Promise<Page<LiaisonPoint>> {
  return api('/api/liaison-points', { query });
}

export function getLiaisonPoint(id: string): Promise<LiaisonPointDetail> {
  return api(`/api/liaison-points/${encodeURIComponent(id)}`);
}

export function createLiaisonPoint(input: CreateLiaisonPointInput): Promise<LiaisonPointDetail> {
  return api('/api/liaison-points', { method: 'POST', body: input });
}

export function updateLiaisonPoint(id: string, input: UpdateLiaisonPointInput): Promise<LiaisonPointDetail> {
  return api(`/api/liaison-points/${encodeURIComponent(id)}`, { method: 'PATCH', body: input });
}

export function replaceMembers(id: string, enterpriseIds: string[]): Promise<LiaisonPointDetail> {
  return api(`/api/liaison-points/${encodeURIComponent(id)}/members`, { method: 'PUT', body: { enterpriseIds } });
}

export function revealLiaisonContact(id: string): Promise<{ contactName: string | null; contactPhone: string | null }> {
  return api(`/api/liaison-points/${encodeURIComponent(id)}/contact/reveal`, { method: 'POST' });
}

export function findSymposiums(query: { liaisonPointId?: string; quarter?: string; page: number; pageSize: number }): Promise<Page<Symposium>> {
  return api('/api/symposiums', { query });
}

export function getSymposium(id: string): Promise<SymposiumDetail> {
  return api(`/api/symposiums/${encodeURIComponent(id)}`);
}

export function createSymposium(input: CreateSymposiumInput): Promise<SymposiumDetail> {
  return api('/api/symposiums', { method: 'POST', body: input });
}

export function updateSymposium(id: string, input: UpdateSymposiumInput): Promise<SymposiumDetail> {
  return api(`/api/symposiums/${encodeURIComponent(id)}`, { method: 'PATCH', body: input });
}

export function deleteSymposium(id: string): Promise<void> {
  return api(`/api/symposiums/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function replaceAttendance(id: string, attendees: ReplaceAttendanceInput['attendees']): Promise<SymposiumDetail> {
  return api(`/api/symposiums/${encodeURIComponent(id)}/attendance`, { method: 'PUT', body: { attendees } });
}

export function linkSuggestionAppeal(symposiumId: string, suggestionId: string, appealId: string): Promise<SymposiumDetail> {
  return api(`/api/symposiums/${encodeURIComponent(symposiumId)}/suggestions/${encodeURIComponent(suggestionId)}/appeal`, { method: 'POST', body: { appealId } });
}

// The appeals module's API (诉求), used by "转为诉求".

export interface AppealCategoryOption {
  code: string;
  name: string;
  nameEn: string;
  deadlineDays: number;
  isEnabled?: boolean;
}

export interface NewAppeal {
  enterpriseId: string;
  categoryCode: string;
  title: string;
  description: string;
  urgency: 'normal' | 'urgent';
  origin: { kind: 'visit' | 'symposium'; id: string };
}

export function findAppealCategories(): Promise<AppealCategoryOption[]> {
  return api('/api/appeal-categories');
}

export function submitAppeal(input: NewAppeal): Promise<{ id: string; number: string }> {
  return api('/api/appeals', { method: 'POST', body: input });
}

// Enterprise picker

export interface EnterpriseOption {
  id: string;
  name: string;
  creditCode: string;
}

export async function searchEnterprises(q: string): Promise<EnterpriseOption[]> {
  const page = await api<Page<EnterpriseOption>>('/api/enterprises', { query: { q: q || undefined, pageSize: 20, page: 1 } });
  return page.items.map((item) => ({ id: item.id, name: item.name, creditCode: item.creditCode }));
}
