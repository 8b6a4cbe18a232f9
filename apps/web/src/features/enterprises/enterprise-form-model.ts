import type { Contact, CreateEnterpriseInput, Enterprise, EnterpriseScale, EnterpriseStatus, UpdateEnterpriseInput } from '@qinqing/contracts';

/** What the enterprise form holds. Cascaders hold their path; the last code is the value sent. */
export interface EnterpriseFormValues {
  creditCode?: string;
  overrideCreditCodeCheck?: boolean;
  name?: string;
  formerNames?: string[];
  legalRepresentative?: string | null;
  registeredCapital?: number | null;
  /** YYYY-MM-DD */
  establishedOn?: string | null;
  industryCode?: string[];
  regionCode?: string[];
  revenue?: number | null;
  /** 'auto' = derived from revenue (≥ 2000 万元 → 规上). */
  scaleOverride?: EnterpriseScale | 'auto';
  scaleOverrideReason?: string | null;
  landArea?: number | null;
  park?: string | null;
  address?: string | null;
  contacts?: Array<{ name?: string; title?: string | null; phone?: string | null } | undefined>;
  tags?: string[];
  status?: EnterpriseStatus;
}

type Payload = Omit<CreateEnterpriseInput, 'creditCode'> & { creditCode?: string };

const blankToNull = (value: string | null | undefined) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};
const numberOrNull = (value: number | null | undefined) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const cleanList = (values: string[] | undefined) => [...new Set((values ?? []).map((value) => value.trim()).filter(Boolean))];

/** The request body for the form's values (POST as is; PATCH takes `changedFields` of it). */
export function toPayload(values: EnterpriseFormValues): Payload {
  const override = values.scaleOverride && values.scaleOverride !== 'auto' ? values.scaleOverride : null;
  return {
    creditCode: values.creditCode?.trim() || undefined,
    ...(values.overrideCreditCodeCheck ? { overrideCreditCodeCheck: true } : {}),
    name: values.name?.trim() ?? '',
    formerNames: cleanList(values.formerNames),
    legalRepresentative: blankToNull(values.legalRepresentative),
    registeredCapital: numberOrNull(values.registeredCapital),
    establishedOn: blankToNull(values.establishedOn),
    industryCode: values.industryCode?.at(-1) ?? '',
    regionCode: values.regionCode?.at(-1) ?? '',
    revenue: numberOrNull(values.revenue),
    scaleOverride: override,
    scaleOverrideReason: override ? blankToNull(values.scaleOverrideReason) : null,
    landArea: numberOrNull(values.landArea),
    park: blankToNull(values.park),
    address: blankToNull(values.address),
    contacts: (values.contacts ?? [])
      .filter((contact): contact is NonNullable<typeof contact> => Boolean(contact?.name?.trim() || contact?.phone?.trim()))
      .map((contact) => ({ name: contact.name?.trim() ?? '', title: blankToNull(contact.title), phone: blankToNull(contact.phone) })),
    tags: cleanList(values.tags),
    status: values.status ?? 'operating',
  };
}

/** The form's starting values for an existing enterprise (paths come from the reference tables). */
export function toFormValues(enterprise: Enterprise, paths: { industry: string[]; region: string[] }): EnterpriseFormValues {
  return {
    creditCode: enterprise.creditCode,
    name: enterprise.name,
    formerNames: enterprise.formerNames,
    legalRepresentative: enterprise.legalRepresentative,
    registeredCapital: enterprise.registeredCapital,
    establishedOn: enterprise.establishedOn,
    industryCode: paths.industry.length ? paths.industry : [enterprise.industryCode],
    regionCode: paths.region.length ? paths.region : [enterprise.regionCode],
    revenue: enterprise.revenue,
    scaleOverride: enterprise.scaleOverrideReason ? enterprise.scale : 'auto',
    scaleOverrideReason: enterprise.scaleOverrideReason,
    landArea: enterprise.landArea,
    park: enterprise.park,
    address: enterprise.address,
    contacts: enterprise.contacts.map((contact) => ({ name: contact.name, title: contact.title ?? null, phone: contact.phone })),
    tags: enterprise.tags,
    status: enterprise.status,
  };
}

/** Only the fields that changed (PATCH): the credit code is fixed once registered. */
export function changedFields(before: Payload, after: Payload): UpdateEnterpriseInput {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(after) as Array<keyof Payload>) {
    if (key === 'creditCode' || key === 'overrideCreditCodeCheck') continue;
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) changes[key] = after[key];
  }
  // The scale override and its reason travel together.
  if ('scaleOverride' in changes || 'scaleOverrideReason' in changes) {
    changes.scaleOverride = after.scaleOverride;
    changes.scaleOverrideReason = after.scaleOverrideReason;
  }
  return changes as UpdateEnterpriseInput;
}

export const isMaskedPhone = (phone: string | null | undefined) => Boolean(phone && phone.includes('*'));

/**
 * The API masks phones it shows (138****1234) and takes only full numbers. When someone edits the contacts,
 * a phone left as it was shown is put back to the full number from the revealed list (same position in the
 * original list). Returns null when a masked phone cannot be matched.
 */
export function unmaskContacts(
  edited: NonNullable<CreateEnterpriseInput['contacts']>,
  shown: readonly Contact[],
  revealed: readonly Contact[],
): NonNullable<CreateEnterpriseInput['contacts']> | null {
  const used = new Set<number>();
  const result: NonNullable<CreateEnterpriseInput['contacts']> = [];
  for (const contact of edited) {
    if (!isMaskedPhone(contact.phone)) {
      result.push(contact);
      continue;
    }
    const candidates = shown.map((original, index) => ({ original, index })).filter(({ original, index }) => !used.has(index) && original.phone === contact.phone);
    const match = candidates.find(({ original }) => original.name === contact.name) ?? candidates[0];
    const full = match ? revealed[match.index]?.phone : undefined;
    if (!match || !full || isMaskedPhone(full)) return null;
    used.add(match.index);
    result.push({ ...contact, phone: full });
  }
  return result;
}
