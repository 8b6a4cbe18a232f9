/** Cascader options from the flat reference tables (industries 门类 → 大类 → 中类 → 小类; regions down to villages). */

export interface TreeEntry {
  code: string;
  name: string;
  level: number;
  parent: string | null;
}

export interface CascaderOption {
  value: string;
  label: string;
  children?: CascaderOption[];
}

/**
 * Nests entries under their parents, keeping the tables' order. Entries whose parent is not in the table
 * become roots (the region subset starts at the province; a 大类 may arrive without its 门类 in a partial table).
 * `maxLevel` cuts the tree (e.g. stop at villages or at 小类).
 */
export function buildCascaderOptions(entries: readonly TreeEntry[], maxLevel = Infinity): CascaderOption[] {
  const nodes = new Map<string, CascaderOption>();
  for (const entry of entries) if (entry.level <= maxLevel) nodes.set(entry.code, { value: entry.code, label: entry.name });
  const roots: CascaderOption[] = [];
  for (const entry of entries) {
    const node = nodes.get(entry.code);
    if (!node) continue;
    const parent = entry.parent ? nodes.get(entry.parent) : undefined;
    if (parent && parent !== node) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

/** The codes from the root down to `code` (a Cascader value), or [] when the code is unknown. */
export function pathTo(entries: readonly TreeEntry[], code: string | undefined | null): string[] {
  if (!code) return [];
  const byCode = new Map(entries.map((entry) => [entry.code, entry]));
  const path: string[] = [];
  let current = byCode.get(code);
  const seen = new Set<string>();
  while (current && !seen.has(current.code)) {
    seen.add(current.code);
    path.unshift(current.code);
    current = current.parent ? byCode.get(current.parent) : undefined;
  }
  return path;
}

/** "制造业 / 纺织业" for a code, from the same lineage. */
export function pathLabel(entries: readonly TreeEntry[], code: string | undefined | null, separator = ' / '): string | undefined {
  const byCode = new Map(entries.map((entry) => [entry.code, entry]));
  const path = pathTo(entries, code);
  return path.length ? path.map((part) => byCode.get(part)!.name).join(separator) : undefined;
}
