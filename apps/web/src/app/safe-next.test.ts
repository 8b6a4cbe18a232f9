import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

describe('safeNext', () => {
  it('keeps a same-origin path with its query', () => {
    expect(safeNext('/users?role=bank')).toBe('/users?role=bank');
  });

  it.each([null, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/login?next=/x', '/setup/totp'])(
    'falls back to / for %s',
    (next) => {
      expect(safeNext(next)).toBe('/');
    },
  );
});
