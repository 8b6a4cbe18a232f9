import type { Permission } from '@qinqing/contracts';

/**
 * Every route declares who may call it. A route without a rule fails at start-up (see auth.plugin.ts), and
 * the access-matrix test enumerates the registry below.
 */
export type RouteAccess =
  | { kind: 'public' }
  /** Any signed-in user; `allowPending` also admits a session that must first change password / enrol TOTP. */
  | { kind: 'signed-in'; allowPending?: boolean }
  | { kind: 'permission'; permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export const access = {
  public: { config: { access: { kind: 'public' } as RouteAccess } },
  signedIn: { config: { access: { kind: 'signed-in' } as RouteAccess } },
  pendingAllowed: { config: { access: { kind: 'signed-in', allowPending: true } as RouteAccess } },
  requires: (permission: Permission) => ({ config: { access: { kind: 'permission', permission } as RouteAccess } }),
};
