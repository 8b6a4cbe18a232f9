/**
 * The appeal page's buttons, from the server's `allowedActions` (`action` or `action:partId`): which buttons,
 * in which order, which endpoint each calls and which body it sends. Pure, tested.
 */
import type { AppealRating } from '@qinqing/contracts';

/** What a button does. `callbackRating` is an officer recording the rating taken on a return call (回访). */
export const actionKinds = [
  'accept',
  'dispatch',
  'sign',
  'answer',
  'rate',
  'callbackRating',
  'decideExtension',
  'resume',
  'pause',
  'requestExtension',
  'return',
  'withdraw',
  'urge',
  'supervise',
  'merge',
  'decline',
  'archive',
] as const;
export type ActionKind = (typeof actionKinds)[number];

/** Actions on one unit's part (会办): their endpoint is under /parts/:partId. */
const partKinds: readonly ActionKind[] = ['sign', 'return', 'withdraw', 'pause', 'resume', 'requestExtension', 'decideExtension', 'answer'];

const fromServer: Record<string, ActionKind> = {
  accept: 'accept',
  decline: 'decline',
  merge: 'merge',
  dispatch: 'dispatch',
  sign: 'sign',
  return: 'return',
  withdraw: 'withdraw',
  pause: 'pause',
  resume: 'resume',
  request_extension: 'requestExtension',
  decide_extension: 'decideExtension',
  answer: 'answer',
  rate: 'rate',
  callback_rating: 'callbackRating',
  urge: 'urge',
  supervise: 'supervise',
  archive: 'archive',
};

export interface AvailableAction {
  kind: ActionKind;
  /** The part it acts on, for part actions. */
  partId: string | null;
}

/** The next step of the loop gets the primary button; refusals are shown as dangerous. */
export function isPrimary(kind: ActionKind): boolean {
  return kind === 'accept' || kind === 'dispatch' || kind === 'sign' || kind === 'answer' || kind === 'rate' || kind === 'callbackRating' || kind === 'decideExtension' || kind === 'resume';
}

export function isDanger(kind: ActionKind): boolean {
  return kind === 'decline' || kind === 'return' || kind === 'withdraw';
}

/**
 * The buttons for `allowedActions`, in loop order (the next step first). The server lists `rate` both for the
 * enterprise (appeals:rate) and for officers (appeals:manage, who record it on a return call); the latter call
 * another endpoint. Unknown or malformed entries are ignored, so a newer server cannot break the page.
 */
export function availableActions(allowed: readonly string[], permissions: readonly string[]): AvailableAction[] {
  const seen = new Set<string>();
  const actions: AvailableAction[] = [];
  for (const entry of allowed) {
    const [name, partId, ...rest] = entry.split(':');
    if (rest.length > 0 || !name) continue;
    let kind = fromServer[name];
    if (!kind) continue;
    if (kind === 'rate' && !permissions.includes('appeals:rate')) kind = 'callbackRating';
    const isPart = partKinds.includes(kind);
    if (isPart !== Boolean(partId)) continue;
    const key = `${kind}:${partId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    actions.push({ kind, partId: isPart ? partId! : null });
  }
  return actions.sort((a, b) => actionKinds.indexOf(a.kind) - actionKinds.indexOf(b.kind));
}

/** The actions on the appeal as a whole, and those on each part (by part id). */
export function splitActions(actions: readonly AvailableAction[]): { appeal: AvailableAction[]; parts: Map<string, AvailableAction[]> } {
  const parts = new Map<string, AvailableAction[]>();
  const appeal: AvailableAction[] = [];
  for (const action of actions) {
    if (action.partId === null) appeal.push(action);
    else parts.set(action.partId, [...(parts.get(action.partId) ?? []), action]);
  }
  return { appeal, parts };
}

const appealPaths: Partial<Record<ActionKind, string>> = {
  accept: 'accept',
  decline: 'decline',
  merge: 'merge',
  dispatch: 'dispatch',
  urge: 'urge',
  rate: 'rate',
  callbackRating: 'callback-rating',
  supervise: 'supervise',
  archive: 'archive',
};

const partPaths: Partial<Record<ActionKind, string>> = {
  sign: 'sign',
  return: 'return',
  withdraw: 'withdraw',
  pause: 'pause',
  resume: 'resume',
  requestExtension: 'extension',
  decideExtension: 'extension/decision',
  answer: 'answer',
};

/** The endpoint an action posts to. */
export function actionPath(appealId: string, action: AvailableAction): string {
  const base = `/api/appeals/${encodeURIComponent(appealId)}`;
  if (action.partId !== null) return `${base}/parts/${encodeURIComponent(action.partId)}/${partPaths[action.kind]}`;
  return `${base}/${appealPaths[action.kind]}`;
}

/** The fields an action's form asks for (dispatch has its own form). */
export type ActionField = 'reason' | 'intoId' | 'days' | 'approve' | 'comment' | 'answer' | 'rating' | 'message' | 'instruction' | 'note';

export const actionFields: Record<Exclude<ActionKind, 'dispatch'>, { required: ActionField[]; optional: ActionField[] }> = {
  accept: { required: [], optional: [] },
  sign: { required: [], optional: [] },
  resume: { required: [], optional: [] },
  decline: { required: ['reason'], optional: [] },
  return: { required: ['reason'], optional: [] },
  withdraw: { required: ['reason'], optional: [] },
  pause: { required: ['reason'], optional: [] },
  merge: { required: ['intoId'], optional: [] },
  requestExtension: { required: ['days', 'reason'], optional: [] },
  decideExtension: { required: ['approve'], optional: ['comment'] },
  answer: { required: ['answer'], optional: [] },
  rate: { required: ['rating'], optional: ['comment'] },
  callbackRating: { required: ['rating'], optional: ['comment'] },
  urge: { required: [], optional: ['message'] },
  supervise: { required: ['instruction'], optional: [] },
  archive: { required: [], optional: ['note'] },
};

export interface ActionFormValues {
  reason?: string;
  intoId?: string;
  days?: number | null;
  approve?: boolean;
  comment?: string;
  answer?: string;
  rating?: AppealRating;
  message?: string;
  instruction?: string;
  note?: string;
}

/**
 * The request body: the appeal's version (a stale one answers 409 with the current state) and the action's
 * fields, text trimmed; optional text left empty is not sent.
 */
export function actionBody(kind: Exclude<ActionKind, 'dispatch'>, version: number, values: ActionFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = { version };
  const { required, optional } = actionFields[kind];
  for (const field of [...required, ...optional]) {
    const value = values[field];
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (trimmed || required.includes(field)) body[field] = trimmed;
    } else if (value !== undefined && value !== null) {
      body[field] = value;
    }
  }
  return body;
}

export interface DispatchRow {
  organisationId: string;
  part?: string | null;
  days?: number | null;
  isLead?: boolean;
}

/** The dispatch body: one part per unit, with its share of the work, working days and the lead flag. */
export function dispatchBody(version: number, rows: readonly DispatchRow[]): Record<string, unknown> {
  return {
    version,
    parts: rows.map((row) => ({
      organisationId: row.organisationId,
      part: row.part?.trim() || null,
      days: row.days ?? null,
      isLead: Boolean(row.isLead),
    })),
  };
}

/** The rows after the unit picker changed: kept rows keep what was typed, new units start from the defaults. */
export function syncDispatchRows(rows: readonly DispatchRow[], unitIds: readonly string[], defaultDays: number | null, hasActiveParts: boolean): DispatchRow[] {
  const next = unitIds.map((organisationId) => rows.find((row) => row.organisationId === organisationId) ?? { organisationId, part: null, days: defaultDays, isLead: false });
  // A first dispatch needs one lead unit (牵头); keep the chosen one, else the first listed.
  if (!hasActiveParts && next.length > 0 && !next.some((row) => row.isLead)) next[0] = { ...next[0], isLead: true };
  return next;
}
