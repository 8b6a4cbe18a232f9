import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';

/** SM3 (GB/T 32905) hex digest: the national-standard hash used for the audit chain. */
export function sm3Hex(input: string): string {
  return createHash('sm3').update(input, 'utf8').digest('hex');
}

export function sha256Hex(input: string): string {
  return createHash('sha256').update(input, 'utf8').digest('hex');
}

/** An unguessable token, base64url. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function newId(): string {
  return randomUUID();
}

/** SM4-CBC encryption of small secrets (TOTP seeds) at rest; output is base64(iv || ciphertext). */
export function sm4Encrypt(plaintext: string, keyHex: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('sm4-cbc', Buffer.from(keyHex, 'hex'), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function sm4Decrypt(encoded: string, keyHex: string): string {
  const raw = Buffer.from(encoded, 'base64');
  const decipher = createDecipheriv('sm4-cbc', Buffer.from(keyHex, 'hex'), raw.subarray(0, 16));
  return Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString('utf8');
}
