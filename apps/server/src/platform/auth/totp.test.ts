import { describe, expect, it } from 'vitest';
import { matchTotpStep, newTotpSecret, totpCodeAt } from './totp.js';

describe('TOTP', () => {
  it('matches RFC 6238 SHA-1 vector at 59 s (94287082 → last 6 digits)', () => {
    // RFC 6238 appendix B secret "12345678901234567890" in base32
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpCodeAt(secret, new Date(59_000))).toBe('287082');
    expect(totpCodeAt(secret, new Date(1_111_111_109_000))).toBe('081804');
  });

  it('accepts one step of drift and names the step', () => {
    const secret = newTotpSecret();
    const now = new Date('2026-11-25T01:00:15.000Z');
    const step = Math.floor(now.getTime() / 30_000);
    expect(matchTotpStep(secret, totpCodeAt(secret, now), now)).toBe(step);
    expect(matchTotpStep(secret, totpCodeAt(secret, new Date(now.getTime() - 30_000)), now)).toBe(step - 1);
    expect(matchTotpStep(secret, totpCodeAt(secret, new Date(now.getTime() - 120_000)), now)).toBeNull();
  });
});
