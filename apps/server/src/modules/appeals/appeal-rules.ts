import { type AppealAction, type AppealStatus, type PartStatus, type Permission, closedAppealStatuses } from '@qinqing/contracts';

/**
 * The appeal loop (domain-rules §5) as one table: for each action, the appeal states it may start from, the
 * states of the unit's part it needs (for actions on a part), and the permission that may take it.
 * Actions marked `system` are taken by the overdue sweep, never by a person through the API.
 *
 *   pending ─accept→ accepted ─dispatch→ dispatched ─sign→ in_progress ─answer (all parts)→ answered ─rate→ rated ─archive→ archived
 *      └decline→ declined ─archive→ archived        ↑ return (all parts) → accepted      └ rate 不满意 → redo → in_progress
 *      └merge→ merged (also from accepted)
 *   withdraw (撤回交办, the office takes back a part not answered yet): the case then follows from the remaining parts
 *   as after a return — none open → accepted, all answered → answered.
 */
export interface Transition {
  from: readonly AppealStatus[];
  /** For actions on one unit's part: the part states it may start from. */
  part?: readonly PartStatus[];
  permissions: readonly Permission[];
  system?: boolean;
}

const open: readonly AppealStatus[] = ['accepted', 'dispatched', 'in_progress', 'answered'];

export const transitions: Record<AppealAction, Transition> = {
  submit: { from: [], permissions: ['appeals:submit'] },
  accept: { from: ['pending'], permissions: ['appeals:manage'] },
  decline: { from: ['pending'], permissions: ['appeals:manage'] },
  merge: { from: ['pending', 'accepted'], permissions: ['appeals:manage'] },
  // A first dispatch, a re-dispatch after every unit returned it, or one more unit joining (会办).
  dispatch: { from: ['accepted', 'dispatched', 'in_progress'], permissions: ['appeals:manage'] },
  sign: { from: ['dispatched', 'in_progress'], part: ['dispatched'], permissions: ['appeals:handle'] },
  return: { from: ['dispatched', 'in_progress'], part: ['dispatched'], permissions: ['appeals:handle'] },
  // 撤回交办: the dispatcher takes back a part not answered yet (wrong unit, or a joint unit no longer needed).
  withdraw: { from: ['dispatched', 'in_progress'], part: ['dispatched', 'signed'], permissions: ['appeals:manage'] },
  pause: { from: ['in_progress'], part: ['signed'], permissions: ['appeals:handle'] },
  resume: { from: ['in_progress'], part: ['signed'], permissions: ['appeals:handle'] },
  request_extension: { from: ['in_progress'], part: ['signed'], permissions: ['appeals:handle'] },
  decide_extension: { from: ['in_progress'], part: ['signed'], permissions: ['appeals:manage'] },
  answer: { from: ['in_progress'], part: ['signed'], permissions: ['appeals:handle'] },
  // The enterprise rates; an officer may record the rating taken on a return call (回访).
  rate: { from: ['answered'], permissions: ['appeals:rate', 'appeals:manage'] },
  redo: { from: ['answered'], permissions: [], system: true },
  urge: { from: ['dispatched', 'in_progress'], permissions: ['appeals:manage'] },
  report: { from: ['dispatched', 'in_progress'], permissions: [], system: true },
  supervise: { from: open, permissions: ['appeals:supervise'] },
  archive: { from: ['rated', 'declined'], permissions: ['appeals:manage'] },
};

/** States in which nothing more happens. */
export const finalStatuses: readonly AppealStatus[] = ['archived', 'merged'];
/** 已结束: no unit works on it and nothing is awaited from the enterprise (only filing may remain). */
export const closedStatuses: readonly AppealStatus[] = closedAppealStatuses;

/** How many times a dissatisfied rating reopens the case (重办) before the officer must close it. */
export const MAX_REDO = 2;
/** Extensions granted to one part may add up to this many working days [cfg, domain-rules §5]. */
export const MAX_EXTENSION_DAYS = 20;
/** 通报 follows 催办 after this many more working days. */
export const REPORT_AFTER_DAYS = 5;

/** A part still counts towards the case unless its unit returned it or the officer withdrew it. */
export function isActivePart(status: string): boolean {
  return status !== 'returned' && status !== 'withdrawn';
}

/**
 * The appeal's state once its parts have moved: all returned → back to the dispatcher (accepted); every active
 * part answered → answered; any part signed or answered → in progress; otherwise dispatched.
 */
export function statusFromParts(parts: ReadonlyArray<{ status: string }>): AppealStatus {
  const active = parts.filter((part) => isActivePart(part.status));
  if (active.length === 0) return 'accepted';
  if (active.every((part) => part.status === 'answered')) return 'answered';
  if (active.some((part) => part.status === 'signed' || part.status === 'answered')) return 'in_progress';
  return 'dispatched';
}

/** The calendar date in China (UTC+8, no daylight saving) of an instant: deadlines are counted in local days. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The part states in which a unit still works on its part (the clock runs unless paused). */
export const openPartStatuses = ['dispatched', 'signed'] as const satisfies readonly PartStatus[];

export function isOpenPart(status: string): boolean {
  return (openPartStatuses as readonly string[]).includes(status);
}

/** A part is overdue when it is still open, not paused, and today is past its deadline. */
export function isPartOverdue(part: { status: string; due_date: string; paused_since: string | null }, today: string): boolean {
  return isOpenPart(part.status) && part.paused_since === null && today > part.due_date;
}

/** Why an action cannot be taken on a part now, beyond the table: pause state and pending extension requests. */
export function partPrecondition(action: AppealAction, part: { paused_since: string | null; extension_days: number | null }): string | null {
  switch (action) {
    case 'pause':
      return part.paused_since ? 'already paused' : null;
    case 'resume':
      return part.paused_since ? null : 'not paused';
    case 'answer':
      return part.paused_since ? 'resume before answering' : null;
    case 'request_extension':
      return part.extension_days !== null ? 'an extension request is pending' : part.paused_since ? 'resume before asking for an extension' : null;
    case 'decide_extension':
      return part.extension_days === null ? 'no extension request is pending' : null;
    default:
      return null;
  }
}
