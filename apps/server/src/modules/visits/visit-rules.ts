import type { VisitStatus } from '@qinqing/contracts';
import { newItemId, type StoredFollowUp } from './visits.repository.js';

/** What may happen to a visit in each state. A record stands (it happened); a cancelled plan is final. */
const transitions: Record<VisitStatus, { record: boolean; cancel: boolean; edit: boolean }> = {
  planned: { record: true, cancel: true, edit: true },
  done: { record: false, cancel: false, edit: true },
  cancelled: { record: false, cancel: false, edit: false },
};

export function mayRecord(status: VisitStatus): boolean {
  return transitions[status].record;
}
export function mayCancel(status: VisitStatus): boolean {
  return transitions[status].cancel;
}
export function mayEdit(status: VisitStatus): boolean {
  return transitions[status].edit;
}

/** Today's date in China (UTC+8), YYYY-MM-DD: the day a person in the town sees on their calendar. */
export function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** YYYY-MM-DD moved by whole days. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** A list item that may have become an appeal: problems of a visit, suggestions of a symposium. */
export interface LinkableItem {
  id: string;
  text: string;
  appealId: string | null;
}

export interface ItemIssue {
  field: string;
  message: string;
}

/**
 * The new list from what the person sent: items keep their id when they send it back; an item that became an
 * appeal may be neither changed (`same` decides what counts as unchanged) nor removed, since the appeal refers to it.
 */
export function mergeLinkedItems<Stored extends LinkableItem, Input extends { id?: string; text: string }>(
  existing: Stored[],
  input: Input[],
  field: string,
  build: (input: Input, previous: Stored | undefined, id: string) => Stored,
  same: (previous: Stored, next: Stored) => boolean = (previous, next) => previous.text === next.text,
): { items: Stored[]; issues: ItemIssue[] } {
  const byId = new Map(existing.map((item) => [item.id, item]));
  const seen = new Set<string>();
  const issues: ItemIssue[] = [];
  const items = input.map((item, index) => {
    const previous = item.id && !seen.has(item.id) ? byId.get(item.id) : undefined;
    const id = previous ? previous.id : uniqueId(seen, byId);
    seen.add(id);
    const next = build(item, previous, id);
    if (previous?.appealId) {
      if (!same(previous, next)) issues.push({ field: `${field}.${index}.text`, message: 'it became an appeal and cannot be changed' });
      return previous;
    }
    return next;
  });
  for (const item of existing) {
    if (item.appealId && !seen.has(item.id)) issues.push({ field, message: 'an item that became an appeal cannot be removed' });
  }
  return { items, issues };
}

function uniqueId(seen: Set<string>, existing: Map<string, unknown>): string {
  for (;;) {
    const id = newItemId();
    if (!seen.has(id) && !existing.has(id)) return id;
  }
}

/** Follow-ups keep their id; `doneAt` is stamped when one is ticked and cleared when it is unticked. */
export function mergeFollowUps(existing: StoredFollowUp[], input: Array<{ id?: string; text: string; dueOn?: string | null; done?: boolean }>, at: string): StoredFollowUp[] {
  const byId = new Map(existing.map((item) => [item.id, item]));
  const seen = new Set<string>();
  return input.map((item) => {
    const previous = item.id && !seen.has(item.id) ? byId.get(item.id) : undefined;
    const id = previous ? previous.id : uniqueId(seen, byId);
    seen.add(id);
    const done = item.done ?? previous?.done ?? false;
    return { id, text: item.text, dueOn: item.dueOn ?? null, done, doneAt: done ? (previous?.done ? previous.doneAt : at) : null };
  });
}
