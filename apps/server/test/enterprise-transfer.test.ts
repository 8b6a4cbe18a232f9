import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/platform/audit/audit.service.js';
import { newId } from '../src/platform/crypto.js';
import { type ColumnKey, columns, headers } from '../src/modules/enterprises/transfer/columns.js';
import { csvLine } from '../src/modules/enterprises/transfer/csv.js';
import { type Session, type TestApp, createTestApp, dialects, login, makeEnterprise, makeUser, signedIn, uniqueName, validCreditCode } from './harness.js';
import { MAX_UPLOAD_BYTES } from '../src/modules/enterprises/transfer/imports.service.js';

type Row = Partial<Record<ColumnKey, string | number>>;

/** A valid import row in 崇福镇, overridable column by column. */
function importRow(overrides: Row = {}): Row {
  return {
    creditCode: validCreditCode(),
    name: uniqueName('崇福导入企业'),
    industryCode: '1931',
    regionCode: '330483107200',
    revenue: 1800,
    landArea: 12.5,
    tags: '出口型；皮草',
    contactName: '沈丽',
    contactPhone: '13800001234',
    status: '在营',
    ...overrides,
  };
}

function csvOf(rows: Row[], header: string[] = headers): string {
  return `\uFEFF${csvLine(header)}${rows.map((row) => csvLine(columns.map((column) => row[column.key] ?? ''))).join('')}`;
}

function multipart(filename: string, bytes: Buffer, field = 'file') {
  const boundary = `----qinqing${newId().replace(/-/g, '')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, bytes, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A zip written by hand: entries given as (name, stored deflate data, declared uncompressed size). */
function handmadeZip(entries: Array<{ name: string; data: Buffer; uncompressed: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.uncompressed, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.uncompressed, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe.each(dialects())('enterprise import and export on %s', (dialect) => {
  let t: TestApp;
  let officer: Session;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    officer = (await signedIn(t, ['officer'])).session;
  });
  afterAll(async () => t?.close());

  async function upload(session: Session, filename: string, bytes: Buffer) {
    const body = multipart(filename, bytes);
    return t.app.inject({ method: 'POST', url: '/api/enterprises/imports', headers: { ...session.headers, 'content-type': body.contentType }, payload: body.payload });
  }

  /** Upload, let the worker check the file, and return the import as the API shows it. */
  async function importFile(filename: string, bytes: Buffer, session = officer) {
    const response = await upload(session, filename, bytes);
    expect(response.statusCode, response.body).toBe(202);
    await t.app.worker.drain();
    const status = await t.app.inject({ method: 'GET', url: `/api/enterprises/imports/${response.json().id}`, headers: session.headers });
    expect(status.statusCode, status.body).toBe(200);
    return status.json();
  }

  async function commit(id: string, session = officer) {
    const response = await t.app.inject({ method: 'POST', url: `/api/enterprises/imports/${id}/commit`, headers: session.headers });
    if (response.statusCode === 202) await t.app.worker.drain();
    return response;
  }

  async function download(session: Session, url: string) {
    const response = await t.app.inject({ method: 'GET', url, headers: session.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response;
  }

  /** Every enterprise column, by credit code: what "unchanged" means. */
  async function snapshot() {
    const rows = await t.db.selectFrom('enterprises').selectAll().orderBy('credit_code').execute();
    const tags = await t.db.selectFrom('enterprise_tags').selectAll().orderBy('enterprise_id').orderBy('tag').execute();
    return { rows, tags };
  }

  async function count(table: 'enterprises' | 'enterprise_events' | 'audit_events') {
    const row = await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('serves the template with Chinese headers and an example row that imports cleanly', async () => {
    const csv = await download(officer, '/api/enterprises/imports/template?format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('企业导入模板.csv')}`);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      '统一社会信用代码,企业名称,曾用名,法定代表人,注册资本（万元）,成立日期,行业代码,行政区划代码,主营业务收入（万元）,规模调整,规模调整理由,用地面积（亩）,所在园区,地址,联系人,联系人职务,联系电话,标签,经营状态',
    );
    const xlsx = await download(officer, '/api/enterprises/imports/template?format=xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as never);
    const sheet = workbook.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(headers);
    expect(sheet.rowCount).toBe(2);
    const preview = await importFile('模板.xlsx', xlsx.rawPayload);
    expect(preview).toMatchObject({ filename: '模板.xlsx', status: 'preview', progress: 100, errors: [], summary: { total: 1, invalid: 0 } });
  });

  it('lists exactly the bad rows (row, column, message), writes nothing and refuses the commit', async () => {
    const [enterprisesBefore, eventsBefore] = [await count('enterprises'), await count('enterprise_events')];
    const file = csvOf([
      importRow(),
      importRow({ creditCode: '91330483MA2B3C4D12' }),
      importRow({ industryCode: '9999', registeredCapital: '五百' }),
      importRow({ status: '倒闭' }),
      importRow({ name: '' }),
      importRow(),
    ]);
    const preview = await importFile('bad.csv', Buffer.from(file));
    expect(preview.status).toBe('preview');
    expect(preview.errors.map((error: { row: number; column: string }) => [error.row, error.column])).toEqual([
      [3, '统一社会信用代码'],
      [4, '注册资本（万元）'],
      [4, '行业代码'],
      [5, '经营状态'],
      [6, '企业名称'],
    ]);
    expect(preview.errors[0].message).toMatch(/校验/);
    expect(preview.errors[1].message).toBe('应为数字');
    expect(preview.errorCount).toBe(5);
    expect(preview.summary).toMatchObject({ total: 6, invalid: 4, new: 2 });
    const refused = await commit(preview.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().details[0]).toMatchObject({ field: 'errors', message: '有 5 处错误，请修改文件后重新上传' });
    expect(await count('enterprises')).toBe(enterprisesBefore);
    expect(await count('enterprise_events')).toBe(eventsBefore);

    // A row outside the officer's region is an error too.
    const outside = await importFile('outside.csv', Buffer.from(csvOf([importRow({ regionCode: '330602001' })])));
    expect(outside.errors).toEqual([{ row: 2, column: '行政区划代码', message: '不在您的管辖范围内' }]);
    expect((await t.app.inject({ method: 'GET', url: `/api/enterprises/imports/${outside.id}`, headers: { ...officer.headers, 'accept-language': 'en-US' } })).json().errors[0].message).toBe('outside your region');
  });

  it('imports GBK csv (as Excel saves it on a Chinese Windows) and commits it with audit and timeline', async () => {
    const rows = [importRow({ name: uniqueName('桐乡市崇福镇裘皮服饰厂'), formerNames: '崇福裘皮厂', address: '崇福镇世纪大道 1 号' }), importRow()];
    const bytes = iconv.encode(csvOf(rows).replace(/^\uFEFF/, ''), 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const preview = await importFile('gbk.csv', bytes);
    expect(preview).toMatchObject({ status: 'preview', errors: [], summary: { total: 2, new: 2, updated: 0, unchanged: 0 } });
    const eventsBefore = await count('enterprise_events');
    expect((await commit(preview.id)).statusCode).toBe(202);
    const done = (await t.app.inject({ method: 'GET', url: `/api/enterprises/imports/${preview.id}`, headers: officer.headers })).json();
    expect(done).toMatchObject({ status: 'committed', summary: { new: 2 } });
    const stored = await t.db.selectFrom('enterprises').selectAll().where('credit_code', '=', String(rows[0].creditCode)).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ name: rows[0].name, former_names: '["崇福裘皮厂"]', address: '崇福镇世纪大道 1 号', tags: '["出口型","皮草"]', revenue: 1800, scale: 'below' });
    expect(await count('enterprise_events')).toBe(eventsBefore + 2);
    const event = await t.db.selectFrom('enterprise_events').selectAll().where('enterprise_id', '=', stored.id).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ type: 'enterprise.imported', summary: '导入新建' });
    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'enterprise.import').where('object_id', '=', preview.id).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ filename: 'gbk.csv', summary: { new: 2, updated: 0, unchanged: 0 } });
    // Searchable at once: the search index was written in the same transaction.
    const found = await t.app.inject({ method: 'GET', url: `/api/enterprises?q=${encodeURIComponent('裘皮服饰')}`, headers: officer.headers });
    expect(found.json().items.map((item: { id: string }) => item.id)).toContain(stored.id);
    expect((await commit(preview.id)).statusCode).toBe(409);
  });

  it('re-importing the same file is a no-op; a changed row is an update with one timeline event', async () => {
    const rows = [importRow(), importRow(), importRow()];
    const file = Buffer.from(csvOf(rows));
    const first = await importFile('same.csv', file);
    await commit(first.id);
    const before = await snapshot();
    const events = await count('enterprise_events');
    const again = await importFile('same.csv', file);
    expect(again.summary).toEqual({ total: 3, new: 0, updated: 0, unchanged: 3, invalid: 0 });
    await commit(again.id);
    expect(await snapshot()).toEqual(before);
    expect(await count('enterprise_events')).toBe(events);

    rows[1] = { ...rows[1], revenue: 2600, tags: '规上培育' };
    const changed = await importFile('changed.csv', Buffer.from(csvOf(rows)));
    expect(changed.summary).toMatchObject({ new: 0, updated: 1, unchanged: 2 });
    await commit(changed.id);
    const updated = await t.db.selectFrom('enterprises').selectAll().where('credit_code', '=', String(rows[1].creditCode)).executeTakeFirstOrThrow();
    expect(updated).toMatchObject({ revenue: 2600, scale: 'above', tags: '["规上培育"]' });
    expect(await t.db.selectFrom('enterprise_tags').select('tag').where('enterprise_id', '=', updated.id).execute()).toEqual([{ tag: '规上培育' }]);
    const event = await t.db.selectFrom('enterprise_events').selectAll().where('enterprise_id', '=', updated.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ type: 'enterprise.imported', summary: '导入更新' });
    expect(JSON.parse(event.data!).changes).toMatchObject({ revenue: { before: 1800, after: 2600 } });
    expect(await count('enterprise_events')).toBe(events + 1);
  });

  it('export → import round-trips unchanged, in csv and xlsx, with formula-like cells escaped', async () => {
    const tricky = await makeEnterprise(t, {
      name: '=HYPERLINK("http://evil","点我")',
      formerNames: ['+崇福老厂', "'引号开头"],
      legalRepresentative: '@沈',
      address: '-1 号',
      park: '崇福皮草产业园',
      contacts: [{ name: '沈丽', title: '总经理', phone: '13905730105' }, { name: '陈明', title: null, phone: '13905730106' }],
      tags: ['出口型', '高新'],
      scaleOverride: 'above',
      scaleOverrideReason: '集团合并报表',
      establishedOn: '2008-03-01',
      registeredCapital: 1234.5,
    });
    const good = validCreditCode();
    await makeEnterprise(t, { creditCode: `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`, overrideCreditCodeCheck: true });
    const before = await snapshot();

    const csv = await download(officer, '/api/enterprises/export?format=csv');
    expect(csv.headers['content-disposition']).toMatch(/filename\*=UTF-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%BD%95-\d{8}\.csv/);
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil"",""点我"")"`);
    expect(csv.body).toContain("'@沈");
    expect(csv.body).toContain("'-1 号");
    expect(csv.body).toContain('13905730105；13905730106');
    const fromCsv = await importFile('企业名录.csv', csv.rawPayload);
    expect(fromCsv.errors).toEqual([]);
    expect(fromCsv.summary).toMatchObject({ new: 0, updated: 0, invalid: 0, unchanged: before.rows.length });
    await commit(fromCsv.id);
    expect(await snapshot()).toEqual(before);

    const xlsx = await download(officer, '/api/enterprises/export?format=xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as never);
    const sheet = workbook.worksheets[0];
    let trickyRow: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === tricky.creditCode) trickyRow = row;
    });
    expect(trickyRow!.getCell(2).value).toBe(`'=HYPERLINK("http://evil","点我")`);
    expect(trickyRow!.getCell(2).formula).toBeUndefined();
    expect(trickyRow!.getCell(5).value).toBe(1234.5);
    const fromXlsx = await importFile('企业名录.xlsx', xlsx.rawPayload);
    expect(fromXlsx.errors).toEqual([]);
    expect(fromXlsx.summary).toMatchObject({ new: 0, updated: 0, unchanged: before.rows.length });
    await commit(fromXlsx.id);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses oversized files, zip bombs, unknown types and non-multipart bodies, naming file', async () => {
    const oversized = await upload(officer, 'big.csv', Buffer.alloc(MAX_UPLOAD_BYTES + 10, 0x41));
    expect(oversized.statusCode).toBe(413);
    expect(oversized.json().details).toEqual([{ field: 'file', message: '文件超过 50 MB 上限，请拆分后分批导入' }]);

    // 50 MB of zeros deflates to ~50 KB: an honest directory with a ratio no spreadsheet has.
    const zeros = Buffer.alloc(50 * 1024 * 1024);
    const honest = handmadeZip([{ name: 'xl/worksheets/sheet1.xml', data: deflateRawSync(zeros, { level: 9 }), uncompressed: zeros.length }]);
    // The same data under a directory that claims 1 KB: only inflating reveals it.
    const lying = handmadeZip([{ name: 'xl/worksheets/sheet1.xml', data: deflateRawSync(zeros, { level: 9 }), uncompressed: 1024 }]);
    const before = await count('audit_events');
    for (const bomb of [honest, lying]) {
      const refused = await upload(officer, 'bomb.xlsx', bomb);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().details).toEqual([{ field: 'file', message: '文件解压后过大或压缩比异常（疑似压缩炸弹），已拒绝' }]);
    }
    expect(await count('audit_events')).toBe(before);

    const text = multipart('x.txt', Buffer.from('a'));
    const english = await t.app.inject({ method: 'POST', url: '/api/enterprises/imports', headers: { ...officer.headers, 'accept-language': 'en', 'content-type': text.contentType }, payload: text.payload });
    expect(english.statusCode).toBe(400);
    expect(english.json().details).toEqual([{ field: 'file', message: 'only .xlsx and .csv files can be imported' }]);
    const notZip = await upload(officer, 'fake.xlsx', Buffer.from('统一社会信用代码,企业名称'));
    expect(notZip.json().details[0].field).toBe('file');
    const json = await t.app.inject({ method: 'POST', url: '/api/enterprises/imports', headers: officer.headers, payload: {} });
    expect(json.statusCode).toBe(400);
    expect(json.json().details[0].field).toBe('file');
  });

  it("an enterprise user's export holds only their own enterprises, phones masked; exports are audited", async () => {
    const mine = await makeEnterprise(t, { contacts: [{ name: '沈丽', phone: '13905730105' }] });
    const theirs = await makeEnterprise(t);
    const userA = await makeUser(t, { roles: ['enterprise'] });
    await t.db.insertInto('enterprise_managers').values({ enterprise_id: mine.id, user_id: userA.id, via: 'officer', bound_at: t.clock.now().toISOString() }).execute();
    const sessionA = await login(t, userA);
    for (const format of ['csv', 'xlsx']) {
      const response = await download(sessionA, `/api/enterprises/export?format=${format}`);
      let text = response.body;
      if (format === 'xlsx') {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(response.rawPayload as never);
        text = JSON.stringify(workbook.worksheets[0].getSheetValues());
      }
      expect(text).toContain(mine.creditCode);
      expect(text).not.toContain(theirs.creditCode);
      expect(text).toContain('139****0105');
      expect(text).not.toContain('13905730105');
    }
    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'enterprise.export').where('actor_user_id', '=', userA.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ format: 'xlsx', rows: 1, phones: 'masked' });
    const filtered = await download(officer, `/api/enterprises/export?format=csv&q=${encodeURIComponent(theirs.name)}`);
    expect(filtered.body.trim().split('\r\n')).toHaveLength(2);
    expect(filtered.body).toContain(theirs.creditCode);
    expect(verifyAuditChain(t.db)).resolves.toMatchObject({ intact: true });
  });

  it("only the importer and officers of the importer's region see an import", async () => {
    const response = await upload(officer, 'mine.csv', Buffer.from(csvOf([importRow()])));
    const id = response.json().id;
    await t.app.worker.drain();
    const colleague = (await signedIn(t, ['officer'])).session;
    const now = t.clock.now().toISOString();
    const elsewhere = newId();
    await t.db.insertInto('organisations').values({ id: elsewhere, name: uniqueName('越城区'), kind: 'government', region_code: '330602', parent_id: null, is_enabled: 1, created_at: now, updated_at: now }).execute();
    const stranger = await login(t, await makeUser(t, { roles: ['officer'], organisationId: elsewhere }));
    const enterpriseUser = (await signedIn(t, ['enterprise'])).session;
    const status = (session: Session) => t.app.inject({ method: 'GET', url: `/api/enterprises/imports/${id}`, headers: session.headers });
    expect((await status(officer)).statusCode).toBe(200);
    expect((await status(colleague)).statusCode).toBe(200);
    expect((await status(stranger)).statusCode).toBe(404);
    expect((await status(enterpriseUser)).statusCode).toBe(404);
    expect((await commit(id, stranger)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/enterprises/imports/00000000-0000-4000-8000-000000000000', headers: officer.headers })).statusCode).toBe(404);
  });
});
