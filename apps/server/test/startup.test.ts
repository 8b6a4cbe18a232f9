import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDatabaseTarget } from '../src/platform/db/database.js';

const serverDir = resolve(import.meta.dirname, '..');

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('start-up', () => {
  it('a bad environment variable stops start-up, naming it, without a stack trace', () => {
    const result = start({ PORT: 'not-a-port' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).not.toMatch(/at .+\.ts:\d+/);
  });

  it('PostgreSQL without QINQING_SECRET_KEY refuses to start', () => {
    const result = start({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', QINQING_SECRET_KEY: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('QINQING_SECRET_KEY');
  });

  it('a database that cannot be opened or migrated exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qinqing-start-'));
    try {
      // a directory where the database file should be
      const result = start({ DATABASE_URL: dir, PORT: '0' });
      expect(result.status).not.toBe(0);
      expect(result.stdout).not.toContain('is running');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts on an empty machine: creates the data folder, key and database, loads the demo, prints URL and accounts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qinqing-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      env: { ...process.env, DATABASE_URL: join(dir, 'not/yet/there/qinqing.db'), PORT: '0', QINQING_DEMO: '1', QINQING_SECRET_KEY: '', QINQING_LOG_LEVEL: 'warn' },
    });
    try {
      let output = '';
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no start:\n${output}`)), 60_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (/auditadmin\s+[A-Z2-7]{32}/.test(output)) {
            clearTimeout(timer);
            done();
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => fail(new Error(`exited ${code}:\n${output}`)));
      });
      expect(output).toMatch(/running at http:\/\/localhost:\d+/);
      expect(output).toContain('officer, handler, instructor, leader, enterprise, bank, supervisor, sysadmin, secadmin, auditadmin');
      expect(existsSync(join(dir, 'not/yet/there/secret.key'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('DATABASE_URL: unset → ./data/qinqing.db, a path or sqlite: URL → that file, postgres:// → PostgreSQL', () => {
    expect(resolveDatabaseTarget(undefined, '/srv/qq')).toEqual({ dialect: 'sqlite', url: '/srv/qq/data/qinqing.db' });
    expect(resolveDatabaseTarget('town.db', '/srv/qq')).toEqual({ dialect: 'sqlite', url: '/srv/qq/town.db' });
    expect(resolveDatabaseTarget('sqlite:///var/lib/qq.db', '/srv')).toEqual({ dialect: 'sqlite', url: '/var/lib/qq.db' });
    expect(resolveDatabaseTarget('postgres://u@h/db')).toEqual({ dialect: 'postgres', url: 'postgres://u@h/db' });
  });
});
