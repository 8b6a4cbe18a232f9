import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sm3Hex, sm4Decrypt, sm4Encrypt } from './crypto.js';

describe('national cryptography known-answer vectors', () => {
  it('SM3 of "abc" matches GB/T 32905 example 1', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('SM3 of 64 bytes "abcd"×16 matches GB/T 32905 example 2', () => {
    expect(sm3Hex('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('SM4 block of GB/T 32907 appendix A encrypts to the standard ciphertext', () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const cipher = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    const out = Buffer.concat([cipher.update(key), cipher.final()]).toString('hex');
    expect(out).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('SM4-CBC round-trips a secret and uses a fresh IV each time', () => {
    const key = '0123456789abcdeffedcba9876543210';
    const a = sm4Encrypt('JBSWY3DPEHPK3PXP', key);
    const b = sm4Encrypt('JBSWY3DPEHPK3PXP', key);
    expect(a).not.toBe(b);
    expect(sm4Decrypt(a, key)).toBe('JBSWY3DPEHPK3PXP');
  });
});
