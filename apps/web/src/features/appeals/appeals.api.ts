import type { Appeal, AppealAttachment, AppealCategory, AppealListItem, CreateAppealInput, KpiReport, Organisation, UpsertAppealCategoryInput, WorkdayDate } from '@qinqing/contracts';
import { api, apiBlob, apiDownload, apiUpload, type UploadOptions } from '../../app/api-client';
import type { Page } from '../../components/pagination';
import { actionPath, type AvailableAction } from './appeal-actions';
import { toAppealQuery, type AppealListState } from './appeal-list-state';

/** packages/contracts dispatchUnitSchema: a unit appeals can be dispatched to. */
export interface DispatchUnit {
  id: string;
  name: string;
  kind: string;
}

export type SimilarAppeal = AppealListItem & { similarity: number };

/** Every appeal query starts with this key, so one invalidation refreshes lists, pages and KPIs. */
export const appealsKey = ['appeals'] as const;
export const appealKey = (id: string) => [...appealsKey, 'one', id] as const;
export const appealCategoriesKey = ['appeal-categories'] as const;
export const appealUnitsKey = ['appeal-units'] as const;

export function findAppeals(state: AppealListState): Promise<Page<AppealListItem>> {
  return api('/api/appeals', { query: { ...toAppealQuery(state), page: state.page, pageSize: state.pageSize } });
}

/** How many appeals match, without their rows (e.g. an enterprise's open appeals). */
export async function countAppeals(query: Partial<AppealListState>): Promise<number> {
  const page = await findAppeals({ ...query, page: 1, pageSize: 1 });
  return page.total;
}

export function findSimilarAppeals(enterpriseId: string, title: string): Promise<SimilarAppeal[]> {
  return api('/api/appeals/similar', { query: { enterpriseId, title } });
}

export function getAppeal(id: string): Promise<Appeal> {
  return api(`/api/appeals/${encodeURIComponent(id)}`);
}

export function submitAppeal(input: CreateAppealInput): Promise<Appeal> {
  return api('/api/appeals', { method: 'POST', body: input });
}

/** One step of the loop; the body carries the version the person decided on. */
export function takeAction(appealId: string, action: AvailableAction, body: Record<string, unknown>): Promise<Appeal> {
  return api(actionPath(appealId, action), { method: 'POST', body });
}

export function findAppealCategories(): Promise<AppealCategory[]> {
  return api('/api/appeal-categories');
}

/** Creates the category or changes it (the code never changes once created). */
/** Changes a category, or adds it with `create` (the server refuses a code in use instead of overwriting it). */
export function saveAppealCategory(code: string, input: UpsertAppealCategoryInput, options: { create?: boolean } = {}): Promise<AppealCategory> {
  if (options.create) return api('/api/appeal-categories', { method: 'POST', body: { ...input, code } });
  return api(`/api/appeal-categories/${encodeURIComponent(code)}`, { method: 'PUT', body: input });
}

const attachmentPath = (appealId: string, attachmentId?: string) =>
  `/api/appeals/${encodeURIComponent(appealId)}/attachments${attachmentId ? `/${encodeURIComponent(attachmentId)}` : ''}`;

function fileForm(file: File): FormData {
  const body = new FormData();
  body.append('file', file, file.name);
  return body;
}

/** Attaches one file (multipart field `file`), reporting how much has been sent. */
export function uploadAttachment(appealId: string, file: File, options?: UploadOptions): Promise<AppealAttachment> {
  return apiUpload(attachmentPath(appealId), fileForm(file), options);
}

/** Attaches one file to the caller's unit's answer (on its answered part); downloaded like any other attachment. */
export function uploadAnswerAttachment(appealId: string, partId: string, file: File, options?: UploadOptions): Promise<AppealAttachment> {
  return apiUpload(`/api/appeals/${encodeURIComponent(appealId)}/parts/${encodeURIComponent(partId)}/attachments`, fileForm(file), options);
}

/** Saves an attachment under its own name. */
export function downloadAttachment(appealId: string, attachment: Pick<AppealAttachment, 'id' | 'filename'>): Promise<void> {
  return apiDownload(attachmentPath(appealId, attachment.id), undefined, attachment.filename);
}

/** An attachment's bytes with the session cookie (an image's thumbnail). */
export async function fetchAttachment(appealId: string, attachmentId: string): Promise<Blob> {
  return (await apiBlob(attachmentPath(appealId, attachmentId))).blob;
}

export function findDispatchUnits(): Promise<DispatchUnit[]> {
  return api('/api/appeal-units');
}

/**
 * Units by name for those who may not dispatch but read organisations (leaders, supervisors): the unit filter
 * of the list and the KPI drill-down need a name for the id in the URL.
 */
export async function findHandlingOrganisations(): Promise<DispatchUnit[]> {
  const kinds = ['department', 'outside_unit', 'government'] as const;
  const pages = await Promise.all(kinds.map((kind) => api<Page<Organisation>>('/api/organisations', { query: { kind, pageSize: 200 } })));
  return pages.flatMap((page) => page.items.map((organisation) => ({ id: organisation.id, name: organisation.name, kind: organisation.kind })));
}

export function getKpis(from: string, to: string): Promise<KpiReport> {
  return api('/api/appeals/kpis', { query: { from, to } });
}

/** The date `days` working days after `from` on the working-day calendar (the dispatch form's preview). */
export function addWorkdays(from: string, days: number): Promise<WorkdayDate> {
  return api('/api/calendar/add-workdays', { query: { from, days } });
}
