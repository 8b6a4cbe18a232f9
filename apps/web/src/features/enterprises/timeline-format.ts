/** Turning a timeline event's `data` into rows a person can read (pure, tested). */

export interface ChangeRow {
  field: string;
  before: string;
  after: string;
}

const mobile = /(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)/g;

/** Masks mobile numbers in any text (the change log may carry contacts as stored). */
export function maskPhones(text: string): string {
  return text.replace(mobile, '$1****$2');
}

/** A stored value as text: JSON lists and contacts flattened, empty as a dash, phones masked. */
export function formatValue(value: unknown): string {
  let parsed = value;
  if (typeof value === 'string' && /^[[{]/.test(value.trim())) {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = value;
    }
  }
  if (parsed === null || parsed === undefined || parsed === '') return '—';
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return '—';
    return maskPhones(
      parsed
        .map((item) =>
          item && typeof item === 'object'
            ? Object.values(item as Record<string, unknown>)
                .filter((part) => part !== null && part !== undefined && part !== '')
                .join(' ')
            : String(item),
        )
        .join('、'),
    );
  }
  if (typeof parsed === 'object') return maskPhones(JSON.stringify(parsed));
  if (typeof parsed === 'boolean') return parsed ? '✓' : '✗';
  return maskPhones(String(parsed));
}

/** `data.changes` ({ field: { before, after } }) as rows, or null when the event has none. */
export function changeRows(data: unknown): ChangeRow[] | null {
  if (!data || typeof data !== 'object' || !('changes' in data)) return null;
  const changes = (data as { changes: unknown }).changes;
  if (!changes || typeof changes !== 'object') return null;
  return Object.entries(changes as Record<string, { before?: unknown; after?: unknown } | null>).map(([field, change]) => ({
    field,
    before: formatValue(change?.before),
    after: formatValue(change?.after),
  }));
}

/** Other event data as key/value rows (ids left out: they mean nothing to a person). */
export function dataRows(data: unknown): { key: string; value: string }[] {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  return Object.entries(data as Record<string, unknown>)
    .filter(([key]) => key !== 'changes' && !/id$/i.test(key))
    .map(([key, value]) => ({ key, value: formatValue(value) }));
}

/**
 * An appeal's step in the file (`appeal.<action>`, written by the appeals module; the summary is already in
 * words): the step and the appeal page it links to (`data.appealId`). Null for other events.
 */
export function appealStepOf(type: string, data: unknown): { action: string; path: string | null } | null {
  if (!type.startsWith('appeal.')) return null;
  const appealId = data && typeof data === 'object' ? (data as { appealId?: unknown }).appealId : undefined;
  return { action: type.slice('appeal.'.length), path: typeof appealId === 'string' && appealId ? `/appeals/${encodeURIComponent(appealId)}` : null };
}
