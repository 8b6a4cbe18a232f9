import type { Role } from '@qinqing/contracts';
import { AppError } from './errors.js';

/** Who is making a request, resolved from a session cookie or an API token. */
export interface Actor {
  /** Empty for the command line, which acts as a system actor (recorded with a null user id). */
  userId: string;
  username: string;
  roles: Role[];
  organisationId: string | null;
  /** The division code of the actor's organisation: a town or county officer's scope. */
  regionCode: string | null;
  /** How the request authenticated: cookie sessions need CSRF tokens, API tokens do not; `cli` is the operator's shell. */
  via: 'session' | 'token' | 'cli';
  sessionId?: string;
  /** The session's CSRF token, which mutations must echo in `x-csrf-token`. */
  csrfToken?: string;
  /** A session that must first change its password or enrol TOTP. */
  pending: 'password_change' | 'totp_enrollment' | null;
}

/** The request context every service call receives. */
export interface RequestContext {
  actor: Actor | null;
  ip: string | null;
}

/** The actor of a request a route has already guarded; services call this instead of trusting a non-null. */
export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  return ctx.actor;
}
