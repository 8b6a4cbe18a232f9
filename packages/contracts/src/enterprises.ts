import { z } from 'zod';
import { pageQuerySchema, phoneSchema, plainText } from './schemas.js';

/** 在营 / 停产 / 注销 */
export const enterpriseStatuses = ['operating', 'suspended', 'deregistered'] as const;
export type EnterpriseStatus = (typeof enterpriseStatuses)[number];
/** 规上 (annual main-business revenue ≥ 2000 万元) / 规下 */
export const enterpriseScales = ['above', 'below'] as const;
export type EnterpriseScale = (typeof enterpriseScales)[number];

/** 规上工业 threshold in 万元 (domain-rules §8). */
export const ABOVE_SCALE_REVENUE = 2000;

/** GB/T 4754 code as stored: 门类 letter, or 2–4 digits (大类/中类/小类). */
export const industryCodeSchema = z.string().regex(/^([A-T]|\d{2,4})$/, 'an industry code (门类 letter or 2–4 digits)');
export const enterpriseRegionCodeSchema = z.string().regex(/^(\d{6}|\d{9}|\d{12})$/, 'a 6-, 9- or 12-digit division code');

export const contactSchema = z.object({
  name: plainText(32),
  title: plainText(32).nullish(),
  /** Masked (138****1234) unless the caller may reveal personal data. */
  phone: z.string().nullable(),
});
export type Contact = z.infer<typeof contactSchema>;

export const enterpriseSchema = z.object({
  id: z.string(),
  creditCode: z.string(),
  /** True when an administrator accepted a code that fails the check (audited). */
  creditCodeOverride: z.boolean(),
  name: z.string(),
  formerNames: z.array(z.string()),
  legalRepresentative: z.string().nullable(),
  /** 万元 */
  registeredCapital: z.number().nullable(),
  establishedOn: z.string().nullable(),
  industryCode: z.string(),
  industryName: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  /** Annual main-business revenue, 万元. */
  revenue: z.number().nullable(),
  scale: z.enum(enterpriseScales),
  scaleOverrideReason: z.string().nullable(),
  /** 亩 */
  landArea: z.number().nullable(),
  park: z.string().nullable(),
  address: z.string().nullable(),
  contacts: z.array(contactSchema),
  tags: z.array(z.string()),
  status: z.enum(enterpriseStatuses),
  managerCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Enterprise = z.infer<typeof enterpriseSchema>;

export const maskedPhoneSchema = z.string().regex(/^1\d{2}\*{4}\d{4}$/, 'an 11-digit mobile number');

const optionalNumber = (max: number) => z.number().min(0).max(max).nullish();

export const createEnterpriseInputSchema = z.object({
  creditCode: z.string().trim().min(1).max(40),
  /** Accept a code that fails its check character (administrators only; audited). */
  overrideCreditCodeCheck: z.boolean().optional(),
  name: plainText(100),
  formerNames: z.array(plainText(100)).max(20).optional(),
  legalRepresentative: plainText(32).nullish(),
  registeredCapital: optionalNumber(1e9),
  establishedOn: z.iso.date().nullish(),
  industryCode: industryCodeSchema,
  regionCode: enterpriseRegionCodeSchema,
  revenue: optionalNumber(1e10),
  /** Set to override the scale derived from revenue; requires scaleOverrideReason. */
  scaleOverride: z.enum(enterpriseScales).nullish(),
  scaleOverrideReason: plainText(200).nullish(),
  landArea: optionalNumber(1e6),
  park: plainText(64).nullish(),
  address: plainText(200).nullish(),
  /** A phone exactly as shown masked (138****1234) keeps the stored number when editing. */
  contacts: z.array(z.object({ name: plainText(32), title: plainText(32).nullish(), phone: phoneSchema.or(maskedPhoneSchema).nullish() })).max(20).optional(),
  tags: z.array(plainText(20)).max(30).optional(),
  status: z.enum(enterpriseStatuses).optional(),
});
export type CreateEnterpriseInput = z.infer<typeof createEnterpriseInputSchema>;

export const updateEnterpriseInputSchema = createEnterpriseInputSchema
  .omit({ creditCode: true, overrideCreditCodeCheck: true })
  .partial()
  .refine((value) => Object.keys(value).length > 0, { message: 'nothing to change' });
export type UpdateEnterpriseInput = z.infer<typeof updateEnterpriseInputSchema>;

const commaList = z
  .string()
  .max(500)
  .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean));

export const enterpriseFilterSchema = z.object({
  q: z.string().trim().max(50).optional(),
  /** Any level: C, 17, 171, 1713. */
  industry: industryCodeSchema.optional(),
  /** Any level: 330483, 330483107, 330483107200. */
  region: z.string().regex(/^\d{6,12}$/, 'a division code').optional(),
  scale: z.enum(enterpriseScales).optional(),
  status: z.enum(enterpriseStatuses).optional(),
  park: z.string().trim().max(64).optional(),
  tags: commaList.optional(),
  sort: z.enum(['name', '-name', 'revenue', '-revenue', 'landArea', '-landArea', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt']).optional(),
});
export type EnterpriseFilter = z.infer<typeof enterpriseFilterSchema>;

export const enterpriseListQuerySchema = pageQuerySchema.extend(enterpriseFilterSchema.shape);
export type EnterpriseListQuery = z.infer<typeof enterpriseListQuerySchema>;

/** A list row: what the table shows. */
export const enterpriseListItemSchema = enterpriseSchema.pick({
  id: true,
  creditCode: true,
  name: true,
  industryCode: true,
  industryName: true,
  regionCode: true,
  regionName: true,
  scale: true,
  revenue: true,
  landArea: true,
  park: true,
  status: true,
  tags: true,
});
export type EnterpriseListItem = z.infer<typeof enterpriseListItemSchema>;

export const enterpriseCountsSchema = z.object({
  total: z.number(),
  byIndustry: z.array(z.object({ code: z.string(), name: z.string(), count: z.number() })),
  byRegion: z.array(z.object({ code: z.string(), name: z.string(), count: z.number() })),
  byScale: z.array(z.object({ scale: z.enum(enterpriseScales), count: z.number() })),
});

/** One entry of the enterprise file's timeline. Modules add types; they never change existing ones. */
export const timelineEventSchema = z.object({
  id: z.number(),
  enterpriseId: z.string(),
  at: z.string(),
  /** `<module>.<verb>`, e.g. enterprise.created, enterprise.updated, enterprise.manager-bound, enterprise.imported. */
  type: z.string(),
  actorName: z.string().nullable(),
  summary: z.string(),
  /** Module-specific JSON (before/after for changes). */
  data: z.unknown(),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

export const managerSchema = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  boundAt: z.string(),
  via: z.enum(['invite', 'approval', 'officer']),
});

export const inviteSchema = z.object({ code: z.string(), expiresAt: z.string() });
export const claimEnterpriseInputSchema = z.object({
  creditCode: z.string().trim().min(1).max(40),
  inviteCode: z.string().trim().min(1).max(32).optional(),
});
export const bindingRequestSchema = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  createdAt: z.string(),
});

export const industrySchema = z.object({ code: z.string(), name: z.string(), level: z.number(), parent: z.string().nullable() });
export const regionSchema = z.object({ code: z.string(), name: z.string(), level: z.number(), parent: z.string().nullable() });

export const importStatuses = ['queued', 'parsing', 'preview', 'committing', 'committed', 'failed'] as const;
export const importErrorSchema = z.object({ row: z.number(), column: z.string(), message: z.string() });
export const importSummarySchema = z.object({ total: z.number(), new: z.number(), updated: z.number(), unchanged: z.number(), invalid: z.number() });
export const enterpriseImportSchema = z.object({
  id: z.string(),
  filename: z.string(),
  status: z.enum(importStatuses),
  /** 0–100 */
  progress: z.number(),
  errors: z.array(importErrorSchema),
  summary: importSummarySchema.nullable(),
  createdAt: z.string(),
});
export type EnterpriseImport = z.infer<typeof enterpriseImportSchema>;
