import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, hashPassword, isPasswordExpired, verifyPassword } from './passwords.js';

describe('password policy', () => {
  it('等保 profile: 8+ characters from 3 classes', () => {
    expect(checkPasswordPolicy('Ab1!', 'dengbao', 'zhang')?.phrase).toBe('at least {n} characters long');
    expect(checkPasswordPolicy('abcdefgh1', 'dengbao', 'zhang')?.phrase).toBe('at least 3 of: lower case, upper case, digits, symbols');
    expect(checkPasswordPolicy('Kx7#mq2Lp', 'dengbao', 'zhang')).toBeNull();
  });

  it('ASVS profile: 12+ characters, no composition rule', () => {
    expect(checkPasswordPolicy('Kx7#mq2Lp', 'asvs', 'zhang')?.phrase).toBe('at least {n} characters long');
    expect(checkPasswordPolicy('plum river lantern', 'asvs', 'zhang')).toBeNull();
  });

  it('refuses common passwords in both profiles, even with a suffix', () => {
    expect(checkPasswordPolicy('Password123!', 'dengbao', 'zhang')?.phrase).toBe('too common');
    expect(checkPasswordPolicy('iloveyou2026!', 'asvs', 'zhang')?.phrase).toBe('too common');
    expect(checkPasswordPolicy('aaaaaaaaaaaaaaa', 'asvs', 'zhang')?.phrase).toBe('too common');
  });

  it('refuses a password containing the username', () => {
    expect(checkPasswordPolicy('Zhangwei#2026x', 'dengbao', 'zhangwei')?.phrase).toBe('must not contain the username');
  });

  it('expires after 90 days under 等保 only', () => {
    const changed = '2026-01-01T00:00:00.000Z';
    expect(isPasswordExpired(changed, new Date('2026-03-31T00:00:00.000Z'), 'dengbao')).toBe(false);
    expect(isPasswordExpired(changed, new Date('2026-04-02T00:00:00.000Z'), 'dengbao')).toBe(true);
    expect(isPasswordExpired(changed, new Date('2027-01-01T00:00:00.000Z'), 'asvs')).toBe(false);
  });

  it('hashes with argon2id and verifies', async () => {
    const hashed = await hashPassword('Kx7#mq2Lp');
    expect(hashed.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hashed, 'Kx7#mq2Lp')).toBe(true);
    expect(await verifyPassword(hashed, 'Kx7#mq2Lq')).toBe(false);
  });
});
