import type { Config } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { type DatabaseHandle, type DatabaseTarget, openDatabase, resolveDatabaseTarget } from './db/database.js';
import { resolveSecretKey } from './secret-key.js';

export interface Runtime {
  target: DatabaseTarget;
  database: DatabaseHandle;
  secretKey: string;
}

/** Where the configured database is; relative SQLite paths resolve against the directory npm was run from. */
export function databaseTargetOf(config: Config): DatabaseTarget {
  return resolveDatabaseTarget(config.DATABASE_URL, config.INIT_CWD ?? process.cwd());
}

/** Migrate with the owning account, then open the least-privilege runtime connection. Shared by server and CLI. */
export async function openRuntime(config: Config, options: { migrate?: boolean } = {}): Promise<Runtime> {
  const target = databaseTargetOf(config);
  const secretKey = resolveSecretKey(config.QINQING_SECRET_KEY, target);
  if (options.migrate !== false) {
    const owner = openDatabase(target, { poolSize: 1 });
    try {
      await migrateToLatest(owner.db, { pgAppRole: config.QINQING_PG_APP_ROLE, secretKey: () => secretKey });
    } finally {
      await owner.destroy();
    }
  }
  const database = openDatabase(target, { pgRole: target.dialect === 'postgres' ? config.QINQING_PG_APP_ROLE : undefined });
  return { target, database, secretKey };
}
