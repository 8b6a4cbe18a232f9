import type {
  CreateEnterpriseInput,
  Contact,
  Enterprise,
  EnterpriseImport,
  EnterpriseListItem,
  EnterpriseScale,
  TimelineEvent,
  UpdateEnterpriseInput,
} from '@qinqing/contracts';
import { api, apiDownload } from '../../app/api-client';
import type { Page } from '../../components/pagination';
import { toQuery, type EnterpriseListState } from './list-filters';

// Shapes of packages/contracts/src/enterprises.ts (enterpriseCountsSchema, industrySchema, managerSchema …).
export interface CountBucket {
  code: string;
  name: string;
  count: number;
}
export interface EnterpriseCounts {
  total: number;
  byIndustry: CountBucket[];
  byRegion: CountBucket[];
  byScale: { scale: EnterpriseScale; count: number }[];
}
export interface ReferenceEntry {
  code: string;
  name: string;
  level: number;
  parent: string | null;
}
export interface Manager {
  userId: string;
  username: string;
  displayName: string;
  phone: string | null;
  boundAt: string;
  via: 'invite' | 'approval' | 'officer';
}
export interface Invite {
  code: string;
  expiresAt: string;
}
export interface BindingRequest {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  userId: string;
  username: string;
  displayName: string;
  status: 'pending' | 'approved' | 'rejected';
  createdAt: string;
}
export interface FieldWarning {
  field: string;
  message: string;
}
export interface MyEnterprise {
  id: string;
  name: string;
  creditCode: string;
}
export interface ClaimResult {
  status: 'bound' | 'requested';
  enterpriseId: string;
  enterpriseName: string;
}

/** Every enterprise query starts with this key, so one invalidation refreshes lists, counts and files. */
export const enterprisesKey = ['enterprises'] as const;
export const enterpriseKey = (id: string) => [...enterprisesKey, 'one', id] as const;
export const myEnterprisesKey = [...enterprisesKey, 'mine'] as const;
export const bindingRequestsKey = [...enterprisesKey, 'binding-requests'] as const;
export const referenceKey = (kind: 'industries' | 'regions') => ['reference', kind] as const;

export function findEnterprises(state: EnterpriseListState): Promise<Page<EnterpriseListItem>> {
  return api('/api/enterprises', { query: { ...toQuery(state), page: state.page, pageSize: state.pageSize } });
}

export function countEnterprises(state: EnterpriseListState): Promise<EnterpriseCounts> {
  const { sort: _sort, ...filter } = toQuery(state);
  return api('/api/enterprises/counts', { query: filter });
}

export function exportEnterprises(state: EnterpriseListState, format: 'xlsx' | 'csv'): Promise<void> {
  const { sort, ...filter } = toQuery(state);
  return apiDownload('/api/enterprises/export', { format, ...filter, sort }, `enterprises.${format}`);
}

export function getEnterprise(id: string): Promise<Enterprise> {
  return api(`/api/enterprises/${encodeURIComponent(id)}`);
}

export function createEnterprise(input: CreateEnterpriseInput): Promise<Enterprise & { warnings: FieldWarning[] }> {
  return api('/api/enterprises', { method: 'POST', body: input });
}

export function updateEnterprise(id: string, input: UpdateEnterpriseInput): Promise<Enterprise> {
  return api(`/api/enterprises/${encodeURIComponent(id)}`, { method: 'PATCH', body: input });
}

export function findTimeline(id: string, page: number, pageSize: number): Promise<Page<TimelineEvent>> {
  return api(`/api/enterprises/${encodeURIComponent(id)}/timeline`, { query: { page, pageSize } });
}

export function revealContacts(id: string): Promise<Contact[]> {
  return api(`/api/enterprises/${encodeURIComponent(id)}/contacts/reveal`, { method: 'POST' });
}

export function findManagers(id: string): Promise<Manager[]> {
  return api(`/api/enterprises/${encodeURIComponent(id)}/managers`);
}

export function createInvite(id: string): Promise<Invite> {
  return api(`/api/enterprises/${encodeURIComponent(id)}/invites`, { method: 'POST' });
}

export function findIndustries(): Promise<ReferenceEntry[]> {
  return api('/api/reference/industries');
}

export function findRegions(): Promise<ReferenceEntry[]> {
  return api('/api/reference/regions');
}

export function claimEnterprise(input: { creditCode: string; inviteCode?: string }): Promise<ClaimResult> {
  return api('/api/enterprise-bindings/claim', { method: 'POST', body: input });
}

export function findMyEnterprises(): Promise<MyEnterprise[]> {
  return api('/api/me/enterprises');
}

export function findBindingRequests(): Promise<BindingRequest[]> {
  return api('/api/enterprise-bindings/requests');
}

export function decideBindingRequest(id: string, approve: boolean): Promise<void> {
  return api(`/api/enterprise-bindings/requests/${encodeURIComponent(id)}/${approve ? 'approve' : 'reject'}`, { method: 'POST' });
}

// Import (xlsx/csv): upload → parse in the background → preview with row errors → commit.

export function downloadImportTemplate(format: 'xlsx' | 'csv'): Promise<void> {
  return apiDownload('/api/enterprises/imports/template', { format }, `enterprise-import-template.${format}`);
}

export function startImport(file: File): Promise<{ id: string }> {
  const body = new FormData();
  body.append('file', file, file.name);
  return api('/api/enterprises/imports', { method: 'POST', body });
}

export function getImport(id: string): Promise<EnterpriseImport> {
  return api(`/api/enterprises/imports/${encodeURIComponent(id)}`);
}

export function commitImport(id: string): Promise<unknown> {
  return api(`/api/enterprises/imports/${encodeURIComponent(id)}/commit`, { method: 'POST' });
}
