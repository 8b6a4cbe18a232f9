/** `%text%` for a case-insensitive LIKE in both dialects (compare against lower(column)); typed wildcards are dropped. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, '')}%`;
}
