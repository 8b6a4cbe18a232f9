import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { computeCheckCharacter, computeOrgCodeCheckCharacter } from '@qinqing/contracts';
import { columns, headers } from '../src/modules/enterprises/transfer/columns.js';
import { csvLine } from '../src/modules/enterprises/transfer/csv.js';
import { verifyAuditChain } from '../src/platform/audit/audit.service.js';
import { openDatabase } from '../src/platform/db/database.js';

const serverDir = resolve(import.meta.dirname, '..');
const PASSWORD = 'Crash#Test2026';
const ROWS = 100_000;

interface Server {
  child: ChildProcess;
  url: string;
}

/** The real server (`node --import tsx src/main.ts`) on this SQLite file, with the demo accounts. */
async function startServer(database: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, DATABASE_URL: database, PORT: '0', HOST: '127.0.0.1', QINQING_DEMO: '1', QINQING_DEMO_PASSWORD: PASSWORD, QINQING_LOG_LEVEL: 'warn', QINQING_SECRET_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/running at (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        done(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { child, url };
}

async function stop(server: Server, signal: NodeJS.Signals) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((done) => server.child.once('exit', done));
  server.child.kill(signal);
  await exited;
}

async function signIn(url: string) {
  const response = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'officer', password: PASSWORD }) });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith('qq_session='))!.split(';')[0];
  return { cookie, 'x-csrf-token': ((await response.json()) as { csrfToken: string }).csrfToken };
}

/** 100k valid, distinct enterprises of 崇福镇 as a csv under the 20 MB cap. */
function bigCsv(): Buffer {
  const lines = [`\uFEFF${csvLine(headers)}`];
  for (let index = 0; index < ROWS; index += 1) {
    const body = String(index).padStart(8, '0');
    const first17 = `91330483${body}${computeOrgCodeCheckCharacter(body)}`;
    const row: Record<string, string | number> = { creditCode: `${first17}${computeCheckCharacter(first17)}`, name: `桐乡市崇福第${index}号制品有限公司`, industryCode: '1931', regionCode: '330483107200', revenue: 500 + (index % 4000), tags: '皮草', status: '在营' };
    lines.push(csvLine(columns.map((column) => row[column.key] ?? '')));
  }
  return Buffer.from(lines.join(''));
}

describe('a 100k-row import killed with SIGKILL while it commits', () => {
  it('leaves 0 or all rows, an intact database and an intact audit chain', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qinqing-crash-'));
    const database = join(dir, 'crash.db');
    let server = await startServer(database);
    try {
      const headersOf = await signIn(server.url);
      // The demo town may come with its own enterprises: the import adds ROWS more, or none.
      const countOf = async (url: string, headers: Record<string, string>) => ((await (await fetch(`${url}/api/enterprises/counts`, { headers })).json()) as { total: number }).total;
      const baseline = await countOf(server.url, headersOf);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bigCsv())]), 'enterprises.csv');
      const uploaded = await fetch(`${server.url}/api/enterprises/imports`, { method: 'POST', headers: headersOf, body: form });
      expect(uploaded.status).toBe(202);
      const { id } = (await uploaded.json()) as { id: string };
      const status = async () => ((await (await fetch(`${server.url}/api/enterprises/imports/${id}`, { headers: headersOf })).json()) as { status: string; summary: { new: number } | null });

      let preview = await status();
      for (const started = Date.now(); preview.status !== 'preview' && Date.now() - started < 40_000; preview = await status()) {
        await new Promise((done) => setTimeout(done, 250));
      }
      expect(preview).toMatchObject({ status: 'preview', summary: { new: ROWS } });

      const committed = await fetch(`${server.url}/api/enterprises/imports/${id}/commit`, { method: 'POST', headers: headersOf });
      expect(committed.status).toBe(202);
      // Kill once a worker holds the commit job (its transaction starts right after the claim) and has been
      // writing for a moment; the commit of 100k rows takes far longer than that.
      const observer = new SQLite(database);
      try {
        const claimed = () => observer.prepare("SELECT status FROM jobs WHERE kind = 'enterprise-import.commit'").get() as { status: string } | undefined;
        for (const started = Date.now(); claimed()?.status !== 'running' && Date.now() - started < 20_000; ) await new Promise((done) => setTimeout(done, 20));
        expect(claimed()?.status).toBe('running');
        expect((observer.prepare('SELECT status FROM enterprise_imports WHERE id = ?').get(id) as { status: string }).status).toBe('committing');
      } finally {
        observer.close();
      }
      await new Promise((done) => setTimeout(done, 1500));
      await stop(server, 'SIGKILL');

      server = await startServer(database);
      const afterRestart = await signIn(server.url);
      expect([baseline, baseline + ROWS]).toContain(await countOf(server.url, afterRestart));
      await stop(server, 'SIGTERM');

      const raw = new SQLite(database, { readonly: true });
      try {
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
        const imported = (raw.prepare("SELECT count(*) AS n FROM enterprises WHERE credit_code LIKE '91330483000%'").get() as { n: number }).n;
        expect([0, ROWS]).toContain(imported);
        const events = (raw.prepare("SELECT count(*) AS n FROM enterprise_events WHERE type = 'enterprise.imported'").get() as { n: number }).n;
        expect(events).toBe(imported);
        const tags = (raw.prepare("SELECT count(*) AS n FROM enterprise_tags t JOIN enterprises e ON e.id = t.enterprise_id WHERE e.credit_code LIKE '91330483000%'").get() as { n: number }).n;
        expect(tags).toBe(imported);
        const status = (raw.prepare('SELECT status FROM enterprise_imports WHERE id = ?').get(id) as { status: string }).status;
        expect(status).toBe(imported ? 'committed' : 'committing');
      } finally {
        raw.close();
      }
      const handle = openDatabase({ dialect: 'sqlite', url: database });
      try {
        expect(await verifyAuditChain(handle.db)).toMatchObject({ intact: true });
      } finally {
        await handle.destroy();
      }
    } finally {
      await stop(server, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
