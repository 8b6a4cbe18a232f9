/** Attachments of an appeal as the screens check and show them (pure, tested). The server checks again by the bytes. */
import { closedAppealStatuses, type Appeal } from '@qinqing/contracts';
import type { TFunction } from 'i18next';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/errors';

/** The server's limits (apps/server/src/modules/appeals/appeal-attachments.ts). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;

/** What may be attached, by file name: PDF, photos, Word and Excel (the new formats only). */
export const attachmentExtensions = ['pdf', 'jpg', 'jpeg', 'png', 'docx', 'xlsx'] as const;

/** The file chooser's filter; the image types let a phone offer its camera. */
export const attachmentAccept = [
  ...attachmentExtensions.map((extension) => `.${extension}`),
  'application/pdf',
  'image/jpeg',
  'image/png',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
].join(',');

export type FileProblem = 'type' | 'size' | 'empty' | 'count';

interface FileLike {
  name: string;
  size: number;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Why a file cannot be attached, before it is sent, or null when it may go. */
export function fileProblem(file: FileLike): Exclude<FileProblem, 'count'> | null {
  if (!(attachmentExtensions as readonly string[]).includes(extensionOf(file.name))) return 'type';
  if (file.size === 0) return 'empty';
  if (file.size > MAX_ATTACHMENT_BYTES) return 'size';
  return null;
}

/** Whether one more file may join those chosen, given how many the appeal already has. */
export function admitFile(file: FileLike, chosen: number, attached = 0): FileProblem | null {
  return fileProblem(file) ?? (chosen + attached >= MAX_ATTACHMENTS ? 'count' : null);
}

/** How many more files the caller may add now, or null when they may not add any (no right, or the appeal is over: 409). */
export function attachmentSlots(appeal: Pick<Appeal, 'status' | 'attachments'>, permissions: readonly string[]): number | null {
  if (!permissions.includes('appeals:submit') || closedAppealStatuses.includes(appeal.status)) return null;
  return Math.max(0, MAX_ATTACHMENTS - appeal.attachments.length);
}

export function isImage(contentType: string): boolean {
  return contentType === 'image/png' || contentType === 'image/jpeg';
}

/** 812 B, 12.3 KB, 4.5 MB. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** The sentence for a file refused before sending, e.g. 「合同.doc」不是可上传的文件类型… */
export function fileProblemText(problem: FileProblem, file: FileLike, t: TFunction): string {
  const values = { name: file.name, size: formatFileSize(file.size), max: String(MAX_ATTACHMENTS) };
  switch (problem) {
    case 'type':
      return t('appeals.attachments.problems.type', values);
    case 'size':
      return t('appeals.attachments.problems.size', values);
    case 'empty':
      return t('appeals.attachments.problems.empty', values);
    default:
      return t('appeals.attachments.problems.count', values);
  }
}

/**
 * What to tell a person whose upload the server refused: the file's own problem (400 `file`: type or number,
 * 413: too large) in their language as the server wrote it, the appeal having been closed meanwhile (409), or
 * the general error text.
 */
export function uploadErrorText(error: unknown, t: TFunction): string {
  if (isApiError(error)) {
    const onFile = error.fieldIssues.find((issue) => issue.field === 'file');
    if (onFile) return onFile.message;
    if (error.code === 'PAYLOAD_TOO_LARGE') return t('appeals.attachments.problems.tooLarge');
    if (error.code === 'CONFLICT') return t('appeals.attachments.closed');
  }
  return errorText(error, t);
}

/** One chosen file on its way to the server. */
export interface UploadItem {
  uid: string;
  file: File;
  status: 'waiting' | 'uploading' | 'done' | 'failed';
  /** 0–100 */
  percent: number;
  error?: unknown;
}

export type UploadFn = (appealId: string, file: File, options: { onProgress: (fraction: number) => void }) => Promise<unknown>;

/**
 * Sends the files one after another (a phone's connection carries one well, not ten at once), reporting each
 * one's progress; a failed file does not stop the others. Resolves with the items that failed.
 */
export async function uploadInTurn(appealId: string, items: readonly UploadItem[], upload: UploadFn, onChange: (uid: string, patch: Partial<UploadItem>) => void): Promise<UploadItem[]> {
  const failed: UploadItem[] = [];
  for (const item of items) {
    onChange(item.uid, { status: 'uploading', percent: 0, error: undefined });
    try {
      await upload(appealId, item.file, { onProgress: (fraction) => onChange(item.uid, { percent: Math.round(fraction * 100) }) });
      onChange(item.uid, { status: 'done', percent: 100 });
    } catch (error) {
      onChange(item.uid, { status: 'failed', error });
      failed.push({ ...item, status: 'failed', error });
    }
  }
  return failed;
}
