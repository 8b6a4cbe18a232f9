import { describe, expect, it } from 'vitest';
import { importPhase, isImportFile, shouldPoll } from './import-state';

const job = (status: 'queued' | 'parsing' | 'preview' | 'committing' | 'committed' | 'failed', errors = 0) => ({
  status,
  errors: Array.from({ length: errors }, (_, row) => ({ row: row + 2, column: '统一社会信用代码', message: 'bad' })),
  summary: status === 'preview' || status === 'committed' ? { total: 3, new: 1, updated: 1, unchanged: 1 - Math.min(errors, 1), invalid: errors } : null,
});

describe('import phases', () => {
  it('polls while the server works and stops when it waits for the person', () => {
    expect(['queued', 'parsing', 'committing'].map((status) => shouldPoll({ status: status as 'queued' }))).toEqual([true, true, true]);
    expect(['preview', 'committed', 'failed'].map((status) => shouldPoll({ status: status as 'preview' }))).toEqual([false, false, false]);
    expect(shouldPoll(undefined)).toBe(false);
  });

  it('blocks the commit when the preview has errors', () => {
    expect(importPhase(undefined)).toBe('upload');
    expect(importPhase(job('queued'))).toBe('parsing');
    expect(importPhase(job('preview', 2))).toBe('preview-errors');
    expect(importPhase(job('preview'))).toBe('preview-ready');
    expect(importPhase(job('committing'))).toBe('committing');
    expect(importPhase(job('committed'))).toBe('committed');
    expect(importPhase(job('failed'))).toBe('failed');
  });

  it('takes xlsx and csv files only', () => {
    expect(isImportFile('企业.XLSX')).toBe(true);
    expect(isImportFile('a.csv')).toBe(true);
    expect(isImportFile('a.xls')).toBe(false);
    expect(isImportFile('a.csv.exe')).toBe(false);
  });
});
