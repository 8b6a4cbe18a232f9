import type { EnterpriseImport } from '@qinqing/contracts';

/** What the import screen shows for a job's state. */
export type ImportPhase = 'upload' | 'parsing' | 'preview-errors' | 'preview-ready' | 'committing' | 'committed' | 'failed';

export const importPollMs = 700;

export function importPhase(job: Pick<EnterpriseImport, 'status' | 'errors' | 'summary'> | undefined): ImportPhase {
  if (!job) return 'upload';
  switch (job.status) {
    case 'queued':
    case 'parsing':
      return 'parsing';
    case 'preview':
      return job.errors.length > 0 || (job.summary?.invalid ?? 0) > 0 ? 'preview-errors' : 'preview-ready';
    case 'committing':
      return 'committing';
    case 'committed':
      return 'committed';
    default:
      return 'failed';
  }
}

/** Poll while the server is working on the job; stop once it waits for the person or is done. */
export function shouldPoll(job: Pick<EnterpriseImport, 'status'> | undefined): boolean {
  return job?.status === 'queued' || job?.status === 'parsing' || job?.status === 'committing';
}

/** The step of the three-step guide (download, upload, check and commit) a phase belongs to. */
export function importStep(phase: ImportPhase): 0 | 1 | 2 {
  return phase === 'upload' ? 1 : 2;
}

export const importExtensions = ['.xlsx', '.csv'] as const;

export function isImportFile(name: string): boolean {
  const lower = name.toLowerCase();
  return importExtensions.some((extension) => lower.endsWith(extension));
}
