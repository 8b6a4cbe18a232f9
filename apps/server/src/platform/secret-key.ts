import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config.js';
import type { DatabaseTarget } from './db/database.js';

/**
 * The SM4 key for secrets at rest. QINQING_SECRET_KEY wins; an embedded install keeps a generated key beside
 * its database file; PostgreSQL (several instances) must be given one.
 */
export function resolveSecretKey(configured: string | undefined, target: DatabaseTarget): string {
  if (configured) return configured.toLowerCase();
  if (target.dialect === 'postgres') {
    throw new ConfigError('Invalid configuration:\n  QINQING_SECRET_KEY: required with PostgreSQL, and the same for every instance (32 hex characters)');
  }
  if (target.url === ':memory:') return randomBytes(16).toString('hex');
  const file = join(dirname(target.url), 'secret.key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{32}$/.test(key)) throw new ConfigError(`Invalid configuration:\n  ${file}: not a 32-hex-character key`);
    return key;
  }
  const key = randomBytes(16).toString('hex');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
