import { z } from 'zod';
import { organisationKinds, permissions, roles } from './roles.js';

/** Text a person typed: trimmed, no control characters, bounded. */
export function plainText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), { message: 'must not contain control characters' });
}

export const roleSchema = z.enum(roles);
export const organisationKindSchema = z.enum(organisationKinds);
export const passwordProfileSchema = z.enum(['dengbao', 'asvs']);
export type PasswordProfile = z.infer<typeof passwordProfileSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[a-zA-Z0-9_.@-]+$/, 'letters, digits and _ . @ - only');

/** Statistical division code: 6 (county), 9 (township) or 12 (village) digits. */
export const regionCodeSchema = z.string().regex(/^(\d{6}|\d{9}|\d{12})$/, 'a 6-, 9- or 12-digit division code');

export const phoneSchema = z.string().regex(/^1\d{10}$/, 'an 11-digit mobile number');

export const idSchema = z.string().min(1).max(64);

export const loginInputSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  totpCode: z.string().regex(/^\d{6}$/, 'six digits').optional(),
});
export type LoginInput = z.infer<typeof loginInputSchema>;

export const organisationSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: organisationKindSchema,
  regionCode: z.string().nullable(),
  parentId: z.string().nullable(),
  isEnabled: z.boolean(),
  createdAt: z.string(),
});
export type Organisation = z.infer<typeof organisationSchema>;

export const createOrganisationInputSchema = z.object({
  name: plainText(100),
  kind: organisationKindSchema,
  regionCode: regionCodeSchema.nullish(),
  parentId: idSchema.nullish(),
});
export type CreateOrganisationInput = z.infer<typeof createOrganisationInputSchema>;

export const updateOrganisationInputSchema = createOrganisationInputSchema
  .partial()
  .extend({ isEnabled: z.boolean().optional() })
  .refine((value) => Object.keys(value).length > 0, { message: 'nothing to change' });
export type UpdateOrganisationInput = z.infer<typeof updateOrganisationInputSchema>;

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  organisationId: z.string().nullable(),
  organisationName: z.string().nullable(),
  roles: z.array(roleSchema),
  phone: z.string().nullable(),
  isEnabled: z.boolean(),
  isLocked: z.boolean(),
  hasTotp: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const createUserInputSchema = z.object({
  username: usernameSchema,
  displayName: plainText(64),
  organisationId: idSchema.nullish(),
  phone: phoneSchema.nullish(),
  password: z.string().min(1).max(256),
  roles: z.array(roleSchema).max(10).default([]),
});
export type CreateUserInput = z.infer<typeof createUserInputSchema>;

export const updateUserInputSchema = z
  .object({
    displayName: plainText(64),
    organisationId: idSchema.nullable(),
    phone: phoneSchema.nullable(),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, { message: 'nothing to change' });
export type UpdateUserInput = z.infer<typeof updateUserInputSchema>;

export const assignRolesInputSchema = z.object({ roles: z.array(roleSchema).max(10) });
export const resetPasswordInputSchema = z.object({ newPassword: z.string().min(1).max(256) });
export const changePasswordInputSchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

/** The signed-in user, as /api/me and login answer. */
export const meSchema = z.object({
  user: userSchema,
  permissions: z.array(z.enum(permissions)),
  csrfToken: z.string(),
  /** Set when the session may only change the password or enrol TOTP before anything else. */
  pending: z.enum(['password_change', 'totp_enrollment']).nullable(),
  isDemo: z.boolean(),
});
export type Me = z.infer<typeof meSchema>;

export const totpSetupSchema = z.object({ secret: z.string(), otpauthUrl: z.string(), qrDataUrl: z.string() });
export const totpConfirmInputSchema = z.object({ code: z.string().regex(/^\d{6}$/, 'six digits') });

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
export const createApiTokenInputSchema = z.object({
  name: plainText(64),
  expiresInDays: z.number().int().min(1).max(366).optional(),
});

export const securityPolicySchema = z.object({ passwordProfile: passwordProfileSchema });
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

export const auditEventSchema = z.object({
  id: z.number(),
  at: z.string(),
  actorUserId: z.string().nullable(),
  actorUsername: z.string().nullable(),
  actorRoles: z.string().nullable(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  ip: z.string().nullable(),
  result: z.enum(['success', 'failure', 'denied']),
  detail: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditVerifySchema = z.object({
  intact: z.boolean(),
  checked: z.number(),
  firstBrokenId: z.number().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifySchema>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number() });
}

export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
