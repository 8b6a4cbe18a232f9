/** Roles as in product.md. */
export const roles = [
  'officer',
  'handler',
  'instructor',
  'leader',
  'enterprise',
  'bank',
  'supervisor',
  'sysadmin',
  'secadmin',
  'auditadmin',
] as const;
export type Role = (typeof roles)[number];

/** The three separated administrators (三员): no account holds two of them. */
export const adminRoles = ['sysadmin', 'secadmin', 'auditadmin'] as const satisfies readonly Role[];

/** Roles that must use a second factor (domain-rules §10). */
export const totpRequiredRoles = ['sysadmin', 'secadmin', 'auditadmin', 'bank'] as const satisfies readonly Role[];

/** Permissions: what a route or screen requires. Roles grant permissions through `rolePermissions`. */
export const permissions = [
  'organisations:read',
  'organisations:write',
  'users:read',
  'users:write',
  'roles:assign',
  'security-policy:read',
  'security-policy:write',
  'audit:read',
  'personal-data:reveal',
  /** Read the enterprise registry within one's scope (town/county by organisation region, assigned, bound). */
  'enterprises:read',
  'enterprises:write',
  'enterprises:import',
  /** Accept a credit code that fails its check character (early pilot codes); audited. */
  'enterprises:override-credit-code',
  /** Issue invite codes and approve enterprise users' binding requests. */
  'enterprises:bind',
  /** An enterprise user binding themself to an enterprise (credit code + invite code, or a request). */
  'enterprises:claim',
  /** Raise an appeal (诉求): an enterprise for itself, an instructor after a visit, an officer for a caller. */
  'appeals:submit',
  /** Read appeals within one's scope: own enterprise's, dispatched to one's unit, one's area. */
  'appeals:read',
  /** Run the loop: accept or decline, dispatch, approve extensions and returns, merge, archive. */
  'appeals:manage',
  /** A handling unit's work: sign for, return, pause, ask for an extension, answer. */
  'appeals:handle',
  /** The enterprise's rating of the answer (满意 / 基本满意 / 不满意). */
  'appeals:rate',
  /** 督办: a leader's instruction on a case. */
  'appeals:supervise',
  /** Unit KPIs and their drill-down. */
  'appeals:kpi',
  /** Visit plans and records, liaison points and symposiums: read. */
  'visits:read',
  /** Plan and record visits. */
  'visits:write',
  /** Manage liaison points (企情联络点) and symposiums. */
  'liaison:write',
  /** Edit the working-day calendar (the State Council's yearly notice). */
  'calendar:write',
] as const;
export type Permission = (typeof permissions)[number];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  officer: [
    'organisations:read',
    'personal-data:reveal',
    'enterprises:read',
    'enterprises:write',
    'enterprises:import',
    'enterprises:override-credit-code',
    'enterprises:bind',
    'appeals:submit',
    'appeals:read',
    'appeals:manage',
    'appeals:kpi',
    'visits:read',
    'visits:write',
    'liaison:write',
    'calendar:write',
  ],
  handler: ['appeals:read', 'appeals:handle'],
  instructor: ['enterprises:read', 'appeals:submit', 'appeals:read', 'visits:read', 'visits:write'],
  leader: ['organisations:read', 'enterprises:read', 'appeals:read', 'appeals:supervise', 'appeals:kpi', 'visits:read'],
  enterprise: ['enterprises:read', 'enterprises:claim', 'appeals:submit', 'appeals:read', 'appeals:rate'],
  bank: [],
  supervisor: ['organisations:read', 'audit:read', 'enterprises:read', 'appeals:read', 'appeals:kpi', 'visits:read'],
  sysadmin: ['organisations:read', 'organisations:write', 'users:read', 'users:write', 'security-policy:read', 'calendar:write'],
  secadmin: ['organisations:read', 'users:read', 'roles:assign', 'security-policy:read', 'security-policy:write'],
  auditadmin: ['audit:read'],
};

export function permissionsOf(userRoles: readonly Role[]): Set<Permission> {
  return new Set(userRoles.flatMap((role) => rolePermissions[role]));
}

export function hasPermission(userRoles: readonly Role[], permission: Permission): boolean {
  return userRoles.some((role) => rolePermissions[role].includes(permission));
}

/** True when the role set holds two or more of the three administrator roles. */
export function violatesAdminSeparation(userRoles: readonly Role[]): boolean {
  return userRoles.filter((role) => (adminRoles as readonly Role[]).includes(role)).length > 1;
}

export function requiresTotp(userRoles: readonly Role[]): boolean {
  return userRoles.some((role) => (totpRequiredRoles as readonly Role[]).includes(role));
}

/** Organisation kinds: government units with a region, departments, outside units, banks, enterprises. */
export const organisationKinds = ['government', 'department', 'outside_unit', 'bank', 'enterprise', 'supervision'] as const;
export type OrganisationKind = (typeof organisationKinds)[number];
