import { computeCheckCharacter, computeOrgCodeCheckCharacter } from '@qinqing/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/platform/crypto.js';
import { createJobs } from '../src/platform/jobs.js';
import { columns, headers } from '../src/modules/enterprises/transfer/columns.js';
import { csvLine } from '../src/modules/enterprises/transfer/csv.js';
import { type Session, type TestApp, createTestApp, dialects, signedIn, uniqueName } from './harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(10);
  }
  return condition();
}

/** The import's two hand-offs (upload → check, commit → write) wake this process's worker instead of waiting for its poll. */
describe.each(dialects())('job hand-off on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('an idle started worker runs a job as soon as it is queued and woken, not at its next poll', async () => {
    const jobs = createJobs({ db: t.db, clock: t.clock });
    const ran: string[] = [];
    const kind = `test.wake.${dialect}`;
    const worker = jobs.worker({ handlers: { [kind]: async (job) => void ran.push((job.payload as { n: string }).n) }, pollMs: 60_000 });
    worker.start();
    try {
      await sleep(200); // the first poll found nothing: the next one is a minute away
      await jobs.enqueue(kind, { n: 'queued-only' }, null);
      await sleep(300);
      expect(ran).toEqual([]); // without a wake-up it waits for the poll
      jobs.wake();
      expect(await until(() => ran.length === 1, 10_000)).toBe(true);
      expect(ran).toEqual(['queued-only']);
    } finally {
      await worker.stop();
    }
  });

  it('a wake-up that arrives while the worker is busy makes its next poll immediate', async () => {
    const jobs = createJobs({ db: t.db, clock: t.clock });
    const ran: string[] = [];
    const kind = `test.busy.${dialect}`;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const worker = jobs.worker({
      handlers: {
        [kind]: async (job) => {
          const n = (job.payload as { n: string }).n;
          if (n === 'first') await gate;
          ran.push(n);
        },
      },
      pollMs: 60_000,
    });
    await jobs.enqueue(kind, { n: 'first' }, null);
    worker.start();
    try {
      await sleep(200); // busy with the first job
      await jobs.enqueue(kind, { n: 'second' }, null);
      jobs.wake();
      release();
      expect(await until(() => ran.length === 2, 10_000)).toBe(true);
      expect(ran).toEqual(['first', 'second']);
    } finally {
      await worker.stop();
    }
  });

  it('a stopped worker is no longer woken', async () => {
    const jobs = createJobs({ db: t.db, clock: t.clock });
    const ran: string[] = [];
    const kind = `test.stopped.${dialect}`;
    const worker = jobs.worker({ handlers: { [kind]: async () => void ran.push('ran') }, pollMs: 60_000 });
    worker.start();
    await sleep(100);
    await worker.stop();
    await jobs.enqueue(kind, {}, null);
    jobs.wake();
    await sleep(300);
    expect(ran).toEqual([]);
  });
});

/** A file of `count` distinct valid rows in 崇福镇 (credit codes numbered from `first`); `broken` rows get a bad revenue. */
function bigCsv(first: number, count: number, broken: number[] = []): Buffer {
  const tag = uniqueName('批量');
  const lines = [csvLine(headers)];
  for (let i = 0; i < count; i += 1) {
    const body = String(first + i).padStart(8, '0');
    const first17 = `91330483${body}${computeOrgCodeCheckCharacter(body)}`;
    const cells: Record<string, string> = { creditCode: `${first17}${computeCheckCharacter(first17)}`, name: `${tag}企业${i}`, industryCode: '1931', regionCode: '330483107200', revenue: broken.includes(i) ? '很多' : '1800', tags: '出口型；皮草', status: '在营' };
    lines.push(csvLine(columns.map((column) => cells[column.key] ?? '')));
  }
  return Buffer.from(`\uFEFF${lines.join('')}`);
}

function multipart(filename: string, bytes: Buffer) {
  const boundary = `----qinqing${newId().replace(/-/g, '')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`);
  return { payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Staged rows written a few thousand at a time with the progress, and the check's progress read from its job. */
describe.each(dialects())('staging and progress of a larger import on %s', (dialect) => {
  let t: TestApp;
  let officer: Session;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    officer = (await signedIn(t, ['officer'])).session;
  });
  afterAll(async () => t?.close());

  async function upload(bytes: Buffer): Promise<string> {
    const body = multipart('批量.csv', bytes);
    const response = await t.app.inject({ method: 'POST', url: '/api/enterprises/imports', headers: { ...officer.headers, 'content-type': body.contentType }, payload: body.payload });
    expect(response.statusCode, response.body).toBe(202);
    return response.json().id;
  }
  const status = async (id: string) => (await t.app.inject({ method: 'GET', url: `/api/enterprises/imports/${id}`, headers: officer.headers })).json();
  const staged = async (id: string) => Number((await t.db.withTables<{ enterprise_import_rows: { import_id: string } }>().selectFrom('enterprise_import_rows').select((eb) => eb.fn.countAll<number>().as('n')).where('import_id', '=', id).executeTakeFirstOrThrow()).n);

  it('shows the running check\'s progress, stages every row across several transactions and commits them all', { timeout: 60_000 }, async () => {
    const id = await upload(bigCsv(10_000_000 + (dialect === 'sqlite' ? 0 : 100_000), 4500));
    // What a poll sees while the worker is part-way through the check: the job's progress.
    const row = await t.db.withTables<{ enterprise_imports: { id: string; job_id: string | null; status: string } }>().selectFrom('enterprise_imports').select(['job_id']).where('id', '=', id).executeTakeFirstOrThrow();
    await t.db.withTables<{ enterprise_imports: { id: string; status: string } }>().updateTable('enterprise_imports').set({ status: 'parsing' }).where('id', '=', id).execute();
    const jobs = createJobs({ db: t.db, clock: t.clock });
    await jobs.progress(row.job_id!, 42);
    expect(await status(id)).toMatchObject({ status: 'parsing', progress: 42 });

    await t.app.worker.drain();
    expect(await status(id)).toMatchObject({ status: 'preview', progress: 100, errorCount: 0, summary: { total: 4500, new: 4500, invalid: 0 } });
    expect(await staged(id)).toBe(4500);

    const commit = await t.app.inject({ method: 'POST', url: `/api/enterprises/imports/${id}/commit`, headers: officer.headers });
    expect(commit.statusCode, commit.body).toBe(202);
    await t.app.worker.drain();
    expect(await status(id)).toMatchObject({ status: 'committed', progress: 100, summary: { total: 4500, new: 4500 } });
    expect(await staged(id)).toBe(0);
    const name = (await status(id)).filename;
    expect(name).toBe('批量.csv');
  });

  it('keeps no staged row when a row after the first few thousand has an error, and names its row and column', { timeout: 60_000 }, async () => {
    const id = await upload(bigCsv(20_000_000 + (dialect === 'sqlite' ? 0 : 100_000), 4500, [3999]));
    await t.app.worker.drain();
    const preview = await status(id);
    expect(preview).toMatchObject({ status: 'preview', errorCount: 1, summary: { total: 4500, invalid: 1 } });
    expect(preview.errors).toEqual([expect.objectContaining({ row: 4001, column: '主营业务收入（万元）' })]);
    expect(await staged(id)).toBe(0);
  });
});
