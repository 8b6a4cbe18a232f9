import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, dialects, signedIn } from './harness.js';
import { type AppealWorld, type Caller, appealWorld, call, makeUnit, setChinaDay, tokenCaller } from './appeals-fixture.js';

/** A unit's answer (答复) with its files: checked like the appeal's own, shown with that unit's part, same download rule. */
describe.each(dialects())('answer attachments on %s', (dialect) => {
  let t: TestApp;
  let w: AppealWorld;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    setChinaDay(t, '2026-03-02');
    w = await appealWorld(t);
  });
  afterAll(async () => t?.close());

  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200, 0x20), Buffer.from('\n%%EOF\n')]);

  function upload(who: Caller, appealId: string, partId: string, filename: string, bytes: Buffer) {
    const boundary = '----qinqing' + Math.random().toString(16).slice(2);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({ method: 'POST', url: `/api/appeals/${appealId}/parts/${partId}/attachments`, headers: { ...who.headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
  }

  /** An appeal handled by the power company and the school, both signed. */
  async function signedByBoth() {
    const appeal = await call(t, w.manager, 'POST', '/api/appeals', { enterpriseId: w.enterprise.id, categoryCode: 'utilities', title: '厂区线路迁改与子女入学', description: '两件事' });
    await call(t, w.officer, 'POST', `/api/appeals/${appeal.id}/accept`, { version: 1 });
    const dispatched = await call(t, w.officer, 'POST', `/api/appeals/${appeal.id}/dispatch`, { version: 2, parts: [{ organisationId: w.power }, { organisationId: w.school }] });
    const power = dispatched.parts.find((part: { organisationId: string }) => part.organisationId === w.power).id as string;
    const school = dispatched.parts.find((part: { organisationId: string }) => part.organisationId === w.school).id as string;
    await call(t, w.powerHandler, 'POST', `/api/appeals/${appeal.id}/parts/${power}/sign`, { version: 3 });
    await call(t, w.schoolHandler, 'POST', `/api/appeals/${appeal.id}/parts/${school}/sign`, { version: 4 });
    return { id: appeal.id as string, power, school, version: 5 };
  }

  const rows = async (appealId: string) => ({
    files: (await t.db.selectFrom('appeal_attachments').select('id').where('appeal_id', '=', appealId).execute()).length,
    audit: (await t.db.selectFrom('audit_events').select('id').where('object_id', '=', appealId).execute()).length,
    timeline: (await t.db.selectFrom('enterprise_events').select('id').where('enterprise_id', '=', w.enterprise.id).execute()).length,
  });

  it('the answering unit attaches a file to its answer; the enterprise and the officer see it with that unit and download it', async () => {
    const appeal = await signedByBoth();
    // Files go with an answer: not before the part is answered (nothing written).
    const early = await upload(w.powerHandler, appeal.id, appeal.power, '迁改方案.pdf', pdf);
    expect(early.statusCode).toBe(409);
    expect(await rows(appeal.id)).toMatchObject({ files: 0 });

    await call(t, w.powerHandler, 'POST', `/api/appeals/${appeal.id}/parts/${appeal.power}/answer`, { version: appeal.version, answer: '迁改方案见附件。' });
    const created = await upload(w.powerHandler, appeal.id, appeal.power, '迁改方案.pdf', pdf);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ filename: '迁改方案.pdf', contentType: 'application/pdf', size: pdf.length });
    const fileId = created.json().id as string;

    for (const who of [w.manager, w.officer]) {
      const shown = await call(t, who, 'GET', `/api/appeals/${appeal.id}`);
      const power = shown.parts.find((part: { id: string }) => part.id === appeal.power);
      expect(power.answer).toBe('迁改方案见附件。');
      expect(power.attachments).toEqual([expect.objectContaining({ id: fileId, filename: '迁改方案.pdf', uploadedByName: expect.stringMatching(/^测试 /) })]);
      expect(shown.parts.find((part: { id: string }) => part.id === appeal.school).attachments).toEqual([]);
      expect(shown.attachments).toEqual([]); // the appeal's own files stay apart
      const download = await t.app.inject({ method: 'GET', url: `/api/appeals/${appeal.id}/attachments/${fileId}`, headers: who.headers });
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-disposition']).toMatch(/^attachment;/);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.rawPayload.equals(pdf)).toBe(true);
    }

    const audit = await t.db.selectFrom('audit_events').select(['action', 'detail']).where('object_id', '=', appeal.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.action).toBe('appeal.answer.attachment.add');
    expect(JSON.parse(String(audit.detail))).toMatchObject({ attachmentId: fileId, partId: appeal.power, organisationId: w.power, size: pdf.length });
    const entry = await t.db.selectFrom('enterprise_events').select(['type', 'summary']).where('enterprise_id', '=', w.enterprise.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ type: 'appeal.attachment', summary: expect.stringContaining('答复附件「迁改方案.pdf」') });
  });

  it('keeps the files of an answer that a 不满意 sent back (重办), and takes new ones only with the next answer', async () => {
    const appeal = await signedByBoth();
    await call(t, w.powerHandler, 'POST', `/api/appeals/${appeal.id}/parts/${appeal.power}/answer`, { version: appeal.version, answer: '第一次答复' });
    expect((await upload(w.powerHandler, appeal.id, appeal.power, '第一次.pdf', pdf)).statusCode).toBe(201);
    await call(t, w.schoolHandler, 'POST', `/api/appeals/${appeal.id}/parts/${appeal.school}/answer`, { version: appeal.version + 1, answer: '已办结。' });
    const redone = await call(t, w.manager, 'POST', `/api/appeals/${appeal.id}/rate`, { version: appeal.version + 2, rating: 'dissatisfied' });
    const power = redone.parts.find((part: { id: string }) => part.id === appeal.power);
    expect(power).toMatchObject({ status: 'signed', answer: null, attachments: [expect.objectContaining({ filename: '第一次.pdf' })] });
    expect((await upload(w.powerHandler, appeal.id, appeal.power, '第二次.pdf', pdf)).statusCode).toBe(409);
  });

  it('refuses a file of the wrong kind with a 400 naming the field, writing nothing', async () => {
    const appeal = await signedByBoth();
    await call(t, w.powerHandler, 'POST', `/api/appeals/${appeal.id}/parts/${appeal.power}/answer`, { version: appeal.version, answer: '已办结。' });
    const before = await rows(appeal.id);
    for (const [name, bytes] of [['方案.pdf', Buffer.from('<html><script>alert(1)</script></html>')], ['方案.exe', pdf], ['照片.png', pdf]] as const) {
      const refused = await upload(w.powerHandler, appeal.id, appeal.power, name, bytes);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().details[0]).toMatchObject({ field: 'file', message: expect.stringContaining('PDF') });
    }
    expect(await rows(appeal.id)).toEqual(before);
    expect((await call(t, w.officer, 'GET', `/api/appeals/${appeal.id}`)).parts.every((part: { attachments: unknown[] }) => part.attachments.length === 0)).toBe(true);
  });

  it('only the answering unit attaches; a bank or a unit off the appeal gets 404 on the download', async () => {
    const appeal = await signedByBoth();
    await call(t, w.powerHandler, 'POST', `/api/appeals/${appeal.id}/parts/${appeal.power}/answer`, { version: appeal.version, answer: '已办结。' });
    const fileId = (await upload(w.powerHandler, appeal.id, appeal.power, '回执.pdf', pdf)).json().id as string;
    const before = await rows(appeal.id);

    // The other unit on the case cannot attach to the power company's answer; the enterprise cannot attach to any.
    expect((await upload(w.schoolHandler, appeal.id, appeal.power, '冒名.pdf', pdf)).statusCode).toBe(404);
    expect((await upload(w.manager, appeal.id, appeal.power, '冒名.pdf', pdf)).statusCode).toBe(404);
    const outsider = await tokenCaller(t, ['handler'], await makeUnit(t, 'department', null));
    expect((await upload(outsider, appeal.id, appeal.power, '冒名.pdf', pdf)).statusCode).toBe(404);
    expect(await rows(appeal.id)).toMatchObject({ files: before.files });

    const get = (who: Caller) => t.app.inject({ method: 'GET', url: `/api/appeals/${appeal.id}/attachments/${fileId}`, headers: who.headers });
    const bank = await signedIn(t, ['bank']); // a GET needs no CSRF token
    expect((await get({ userId: bank.user.id, organisationId: '', headers: bank.session.headers })).statusCode).toBe(404);
    expect((await get(outsider)).statusCode).toBe(404);
    // …while everyone who may see the appeal may fetch it, the other unit of the case included.
    expect((await get(w.schoolHandler)).statusCode).toBe(200);
    expect((await get(w.leader)).statusCode).toBe(200);
  });
});
