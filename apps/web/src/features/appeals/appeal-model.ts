/** What the appeal screens show, computed from the API's shapes (pure, tested). */
import type { Appeal, AppealEvent, AppealStatus, PartStatus } from '@qinqing/contracts';

/** The appeal page's address. */
export const appealPath = (id: string) => `/appeals/${encodeURIComponent(id)}`;

export const statusColors: Record<AppealStatus, string> = {
  pending: 'gold',
  accepted: 'cyan',
  declined: 'default',
  dispatched: 'blue',
  in_progress: 'processing',
  answered: 'purple',
  rated: 'green',
  archived: 'default',
  merged: 'default',
};

export const partStatusColors: Record<PartStatus, string> = {
  dispatched: 'gold',
  signed: 'processing',
  returned: 'orange',
  answered: 'green',
  withdrawn: 'default',
};

/** The case's deadline as the header shows it: the earliest open part's, and whether it is only estimated. */
export function caseDeadline(appeal: Pick<Appeal, 'dueDate' | 'parts'>): { date: string; estimated: boolean } | null {
  if (!appeal.dueDate) return null;
  const open = appeal.parts.filter((part) => (part.status === 'dispatched' || part.status === 'signed') && part.dueDate === appeal.dueDate);
  return { date: appeal.dueDate, estimated: open.some((part) => part.dueEstimated) };
}

/**
 * Whether anything can wait for this person (the list's 待办 block, `todo=true`): an officer's cases to accept,
 * dispatch or extend, a unit's parts to sign or answer, an enterprise's answers to rate, a leader's overdue cases.
 */
export function hasTodo(permissions: readonly string[]): boolean {
  return ['appeals:manage', 'appeals:handle', 'appeals:rate', 'appeals:supervise'].some((permission) => permissions.includes(permission));
}

type TodoItem = { status: AppealStatus; myPartStatus?: PartStatus | null; myPartDueDate?: string | null; dueDate?: string | null };

/**
 * Where an item stands in the 待办. A handling unit's people go by their own part: 待签收 first, then 办理中, each
 * by its own deadline (earliest first). Everyone else by the case: 待受理
 * (and cases still to be signed for) on top.
 */
function todoRank(item: TodoItem): [number, string] {
  // In 会办 the unit's own deadline, not another unit's earlier one.
  const due = item.myPartDueDate ?? item.dueDate ?? '9999-12-31';
  if (item.myPartStatus === 'dispatched') return [0, due];
  if (item.myPartStatus === 'signed') return [1, due];
  if (item.myPartStatus) return [2, ''];
  return [item.status === 'dispatched' || item.status === 'pending' ? 0 : 1, ''];
}

/** 待办 in the order to work through it (see todoRank); ties keep the listed (newest-first) order. */
export function todoFirst<T extends TodoItem>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index, rank: todoRank(item) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1].localeCompare(b.rank[1]) || a.index - b.index)
    .map(({ item }) => item);
}

/** One line under a history entry: a translation key of `appeals.history` and its values. */
export interface EventLine {
  key:
    | 'category'
    | 'origin'
    | 'reason'
    | 'mergedInto'
    | 'mergedFrom'
    | 'part'
    | 'due'
    | 'dueEstimated'
    | 'since'
    | 'pausedDays'
    | 'extensionAsked'
    | 'extensionApproved'
    | 'extensionRefused'
    | 'answer'
    | 'onTime'
    | 'late'
    | 'rating'
    | 'viaCallback'
    | 'comment'
    | 'redo'
    | 'automatic'
    | 'message'
    | 'instruction'
    | 'note';
  values?: Record<string, string>;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : typeof value === 'number' ? String(value) : null);

/** The details of one history entry, in the order a person reads them. */
export function eventLines(event: Pick<AppealEvent, 'action' | 'data'>): EventLine[] {
  const data = event.data ?? {};
  const lines: EventLine[] = [];
  const add = (key: EventLine['key'], values?: Record<string, string>) => lines.push(values ? { key, values } : { key });
  const addText = (key: EventLine['key'], field: string) => {
    const value = text(data[field]);
    if (value) add(key, { text: value });
  };
  switch (event.action) {
    case 'submit':
      if (text(data.categoryCode)) add('category', { code: String(data.categoryCode) });
      if (text(data.origin)) add('origin', { kind: String(data.origin) });
      break;
    case 'decline':
    case 'return':
      addText('reason', 'reason');
      break;
    case 'merge':
      if (text(data.intoNumber)) add('mergedInto', { number: String(data.intoNumber) });
      if (text(data.mergedFromNumber)) add('mergedFrom', { number: String(data.mergedFromNumber) });
      break;
    case 'dispatch':
      addText('part', 'part');
      if (text(data.dueDate)) add(data.estimated === true ? 'dueEstimated' : 'due', { date: String(data.dueDate), days: String(data.days ?? '') });
      break;
    case 'pause':
      addText('reason', 'reason');
      if (text(data.since)) add('since', { date: String(data.since) });
      break;
    case 'resume':
      if (typeof data.pausedDays === 'number' && text(data.dueDate)) add('pausedDays', { days: String(data.pausedDays), date: String(data.dueDate) });
      break;
    case 'request_extension':
      if (typeof data.days === 'number') add('extensionAsked', { days: String(data.days) });
      addText('reason', 'reason');
      break;
    case 'decide_extension':
      if (data.approve === true) add('extensionApproved', { days: String(data.days ?? ''), date: String(data.dueDate ?? '') });
      else add('extensionRefused');
      addText('comment', 'comment');
      break;
    case 'answer':
      addText('answer', 'answer');
      if (data.onTime === true) add('onTime');
      if (data.onTime === false) add('late', { date: String(data.dueDate ?? '') });
      break;
    case 'rate':
      if (text(data.rating)) add('rating', { rating: String(data.rating) });
      if (data.via === 'callback') add('viaCallback');
      addText('comment', 'comment');
      break;
    case 'redo':
      add('redo', { round: String(data.round ?? ''), date: String(data.dueDate ?? '') });
      break;
    case 'urge':
    case 'report':
      if (data.automatic === true) add('automatic', { date: String(data.dueDate ?? '') });
      addText('message', 'message');
      break;
    case 'supervise':
      addText('instruction', 'instruction');
      break;
    case 'archive':
      addText('note', 'note');
      break;
    default:
      break;
  }
  return lines;
}

/** Timeline dot colours: refusals and lateness red, the end of the loop green, the rest blue. */
export function eventColor(event: Pick<AppealEvent, 'action' | 'data'>): 'red' | 'green' | 'blue' | 'gray' | 'orange' {
  const data = event.data ?? {};
  switch (event.action) {
    case 'decline':
    case 'return':
    case 'report':
      return 'red';
    case 'urge':
    case 'supervise':
    case 'redo':
      return 'orange';
    case 'answer':
      return data.onTime === false ? 'orange' : 'green';
    case 'rate':
      return data.rating === 'dissatisfied' ? 'red' : 'green';
    case 'archive':
    case 'merge':
      return 'gray';
    default:
      return 'blue';
  }
}

/** Today's date in China (UTC+8, no daylight saving): deadlines and periods are counted in China days. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
