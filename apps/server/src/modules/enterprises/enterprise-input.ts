import { ABOVE_SCALE_REVENUE, type CreateEnterpriseInput, type EnterpriseScale, checkCreditCode } from '@qinqing/contracts';
import { invalidFields } from '../../platform/errors.js';
import { industryLineage, regionByCode } from '../reference/reference.js';
import type { EnterpriseRow, StoredContact } from './enterprises.repository.js';

type Issue = { field: string; message: string; localized?: { 'zh-CN': string; 'en-US': string }; warning?: boolean };

/** 规上 when annual main-business revenue ≥ 2000 万元 (domain-rules §8), unless an officer overrides it with a reason. */
export function deriveScale(revenue: number | null | undefined): EnterpriseScale {
  return revenue !== null && revenue !== undefined && revenue >= ABOVE_SCALE_REVENUE ? 'above' : 'below';
}

/** The row columns an input sets (no id, no timestamps), after every domain check; lists every problem at once. */
export type EnterpriseValues = Omit<EnterpriseRow, 'id' | 'created_at' | 'updated_at'>;

export interface CheckedEnterprise {
  values: EnterpriseValues;
  /** Credit-code warnings (position 17, unknown type): shown, not blocking. */
  warnings: Issue[];
}

/**
 * Validate and normalise one enterprise as given by a form or an import row. `mayOverride` says whether the
 * caller holds the override permission; an override is honoured only when asked for explicitly.
 */
export function checkEnterpriseInput(input: CreateEnterpriseInput, options: { mayOverride: boolean }): { ok: true; result: CheckedEnterprise } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const credit = checkCreditCode(input.creditCode);
  let override = false;
  if (!credit.valid) {
    const onlyCheckCharacter = credit.errors.every((error) => error.code === 'CHECK_CHARACTER');
    if (onlyCheckCharacter && input.overrideCreditCodeCheck && options.mayOverride) override = true;
    else {
      for (const error of credit.errors) issues.push({ field: 'creditCode', message: error.message, localized: { 'zh-CN': error.message, 'en-US': error.messageEn } });
      if (onlyCheckCharacter && input.overrideCreditCodeCheck && !options.mayOverride) {
        issues.push({ field: 'overrideCreditCodeCheck', message: 'you may not override the credit-code check' });
      }
    }
  }
  for (const warning of credit.warnings) warnings.push({ field: 'creditCode', message: warning.message, localized: { 'zh-CN': warning.message, 'en-US': warning.messageEn }, warning: true });

  const lineage = industryLineage(input.industryCode);
  if (!lineage || /^[A-T]$/.test(input.industryCode)) issues.push({ field: 'industryCode', message: 'unknown industry code' });
  if (!regionByCode(input.regionCode)) issues.push({ field: 'regionCode', message: 'unknown division code' });
  if (input.scaleOverride && !input.scaleOverrideReason) issues.push({ field: 'scaleOverrideReason', message: 'a reason is required to override the scale' });
  (input.contacts ?? []).forEach((contact, index) => {
    if (contact.phone?.includes('*')) issues.push({ field: `contacts.${index}.phone`, message: 'an 11-digit mobile number' });
  });
  if (issues.length > 0) return { ok: false, issues };

  const scale = input.scaleOverride ?? deriveScale(input.revenue);
  const contacts: StoredContact[] = (input.contacts ?? []).map((contact) => ({ name: contact.name, title: contact.title ?? null, phone: contact.phone ?? null }));
  return {
    ok: true,
    result: {
      warnings,
      values: {
        credit_code: credit.normalised,
        is_credit_code_override: override ? 1 : 0,
        name: input.name,
        legal_representative: input.legalRepresentative ?? null,
        registered_capital: input.registeredCapital ?? null,
        established_on: input.establishedOn ?? null,
        industry_code: input.industryCode,
        industry_section: lineage!.section,
        industry_division: lineage!.division,
        industry_group: lineage!.group,
        region_code: input.regionCode,
        region_county: input.regionCode.slice(0, 6),
        region_township: input.regionCode.length >= 9 ? input.regionCode.slice(0, 9) : null,
        revenue: input.revenue ?? null,
        scale,
        scale_override_reason: input.scaleOverride ? (input.scaleOverrideReason ?? null) : null,
        land_area: input.landArea ?? null,
        park: input.park ?? null,
        address: input.address ?? null,
        status: input.status ?? 'operating',
        former_names: JSON.stringify(input.formerNames ?? []),
        contacts: JSON.stringify(contacts),
        tags: JSON.stringify([...new Set(input.tags ?? [])]),
      },
    },
  };
}

/** Throwing form for single-record APIs. */
export function requireValidEnterprise(input: CreateEnterpriseInput, options: { mayOverride: boolean }): CheckedEnterprise {
  const checked = checkEnterpriseInput(input, options);
  if (!checked.ok) throw invalidFields(checked.issues);
  return checked.result;
}

/** Column → the label a person reads in the enterprise file's timeline. */
const fieldLabels: Record<string, string> = {
  credit_code: '统一社会信用代码',
  is_credit_code_override: '信用代码校验豁免',
  name: '企业名称',
  legal_representative: '法定代表人',
  registered_capital: '注册资本',
  established_on: '成立日期',
  industry_code: '行业',
  region_code: '所在区域',
  revenue: '主营业务收入',
  scale: '规模',
  scale_override_reason: '规模调整理由',
  land_area: '用地面积',
  park: '所在园区',
  address: '地址',
  status: '经营状态',
  former_names: '曾用名',
  contacts: '联系人',
  tags: '标签',
};

export function describeChanges(changes: Record<string, unknown>): string {
  return Object.keys(changes).map((key) => fieldLabels[key] ?? key).join('、');
}

/** Fields that differ between two value sets, with before and after, for the audit trail and the timeline. */
export function diffValues(before: EnterpriseValues, after: EnterpriseValues): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of Object.keys(after) as Array<keyof EnterpriseValues>) {
    if (key.startsWith('industry_') && key !== 'industry_code') continue;
    if (key === 'region_county' || key === 'region_township') continue;
    if (before[key] !== after[key]) changes[key] = { before: before[key], after: after[key] };
  }
  return changes;
}
