import { describe, expect, it } from 'vitest';
import { enUS } from './en-US';
import { zhCN } from './zh-CN';

function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const found = new Map<string, unknown>();
  if (typeof value === 'string' || Array.isArray(value)) {
    found.set(prefix, value);
    return found;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    for (const [path, leaf] of leaves(child, prefix ? `${prefix}.${key}` : key)) found.set(path, leaf);
  }
  return found;
}

const interpolations = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();

describe('translations', () => {
  const zh = leaves(zhCN);
  const en = leaves(enUS);

  it('have the same keys in both languages', () => {
    expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
  });

  it('use the same {{placeholders}} in both languages, and no empty text', () => {
    for (const [key, text] of zh) {
      const other = en.get(key);
      if (typeof text === 'string' && typeof other === 'string') {
        expect(interpolations(other), key).toEqual(interpolations(text));
        expect(text.trim(), key).not.toBe('');
        expect(other.trim(), key).not.toBe('');
      }
    }
  });
});
