import type { AuditEvent, AuditVerifyResult } from '@qinqing/contracts';
import { api } from '../../app/api-client';
import type { Page } from '../../components/pagination';

export const auditQueryKey = ['audit'] as const;

export type AuditResult = AuditEvent['result'];

export interface AuditFilter {
  page: number;
  pageSize: number;
  action?: string;
  username?: string;
  result?: AuditResult;
  /** ISO 8601 instants, inclusive. */
  from?: string;
  to?: string;
}

export function findAuditEvents(filter: AuditFilter): Promise<Page<AuditEvent>> {
  return api<Page<AuditEvent>>('/api/audit', { query: { ...filter } });
}

export function verifyAuditChain(): Promise<AuditVerifyResult> {
  return api<AuditVerifyResult>('/api/audit/verify');
}
