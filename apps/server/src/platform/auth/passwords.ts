import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { PasswordProfile } from '@qinqing/contracts';
import { DAY } from '../clock.js';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const ARGON2_OPTIONS = { algorithm: 2 /* Algorithm.Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verified against when the username is unknown, so timing does not reveal which usernames exist. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('qinqing-timing-equaliser');
  return dummyHash;
}

const commonPasswords = new Set((dictionary.passwords as string[]).map((word) => word.toLowerCase()));

export const PASSWORD_MAX_AGE_DAYS = 90;

/** A reason phrase (translated by messages.ts) when the password breaks the profile, else null. */
export function checkPasswordPolicy(password: string, profile: PasswordProfile, username: string): { phrase: string; params?: Record<string, number> } | null {
  const minLength = profile === 'asvs' ? 12 : 8;
  if ([...password].length < minLength) return { phrase: 'at least {n} characters long', params: { n: minLength } };
  if (profile === 'dengbao') {
    const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((pattern) => pattern.test(password)).length;
    if (classes < 3) return { phrase: 'at least 3 of: lower case, upper case, digits, symbols' };
  }
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower) || commonPasswords.has(lower.replace(/[^a-z]+$/, '')) || /^(.)\1+$/.test(password)) {
    return { phrase: 'too common' };
  }
  if (username.length >= 3 && lower.includes(username.toLowerCase())) return { phrase: 'must not contain the username' };
  return null;
}

/** 等保 rotation: under the dengbao profile a password older than 90 days must be changed at next sign-in. */
export function isPasswordExpired(changedAt: string, now: Date, profile: PasswordProfile): boolean {
  return profile === 'dengbao' && now.getTime() - new Date(changedAt).getTime() > PASSWORD_MAX_AGE_DAYS * DAY;
}
