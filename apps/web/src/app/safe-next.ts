/** Only same-origin paths are followed after login, never an absolute or protocol-relative URL. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login') || next.startsWith('/setup/')) return '/';
  return next;
}
