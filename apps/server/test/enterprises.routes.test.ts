import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchCondition } from '../src/modules/enterprises/enterprises.repository.js';
import { type Session, type TestApp, countRows, createTestApp, dialects, lastAudit, login, makeEnterprise, makeUser, signedIn, uniqueName, validCreditCode } from './harness.js';

describe.each(dialects())('enterprise registry on %s', (dialect) => {
  let t: TestApp;
  let officer: Session;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    officer = (await signedIn(t, ['officer'])).session;
  });
  afterAll(async () => t?.close());

  const call = (session: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, extra: Record<string, string> = {}) =>
    t.app.inject({ method, url, payload, headers: { ...session.headers, ...extra } });

  it('registers an enterprise with a normalised code, derived scale, masked phones, audit row and timeline event', async () => {
    const before = await countRows(t, 'audit_events');
    const response = await call(officer, 'POST', '/api/enterprises', {
      creditCode: ' 91330483ma2jd4kx7y ',
      name: '桐乡市崇福毛皮制品有限公司',
      industryCode: '1931',
      regionCode: '330483107200',
      revenue: 2600,
      landArea: 35.5,
      contacts: [{ name: '沈建华', title: '总经理', phone: '13905731234' }],
      tags: ['外贸出口', '专精特新'],
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      creditCode: '91330483MA2JD4KX7Y',
      scale: 'above',
      industryName: '毛皮鞣制加工',
      regionName: expect.stringContaining('城郊村'),
      contacts: [{ name: '沈建华', phone: '139****1234' }],
      warnings: [],
    });
    expect(await countRows(t, 'audit_events')).toBe(before + 1);
    expect(await lastAudit(t)).toMatchObject({ action: 'enterprise.create', object_id: created.id });
    const timeline = (await call(officer, 'GET', `/api/enterprises/${created.id}/timeline`)).json();
    expect(timeline.items[0]).toMatchObject({ type: 'enterprise.created', summary: expect.stringContaining('桐乡市崇福毛皮制品有限公司') });
  });

  it('a bad credit code is 400 naming creditCode, in the caller language, and writes nothing', async () => {
    const before = await countRows(t, 'audit_events');
    const bad = await call(officer, 'POST', '/api/enterprises', { creditCode: '91110000600037341N', name: '某公司', industryCode: '1931', regionCode: '330483107' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toMatchObject({ field: 'creditCode' });
    expect(bad.json().details[0].message).toContain('L');
    const english = await call(officer, 'POST', '/api/enterprises', { creditCode: '91330483MA2JD4KX7', name: '某公司', industryCode: '1931', regionCode: '330483107' }, { 'accept-language': 'en-US' });
    expect(english.json().details[0].field).toBe('creditCode');
    expect(english.json().details[0].message).toMatch(/[a-z]/);
    expect(await countRows(t, 'audit_events')).toBe(before);
  });

  it('a position-17 mismatch is a warning, not a rejection', async () => {
    const response = await call(officer, 'POST', '/api/enterprises', { creditCode: '91330483MA2JD4KX09', name: '桐乡市早期代码企业', industryCode: '1713', regionCode: '330483107' });
    expect(response.statusCode).toBe(201);
    expect(response.json().warnings).toEqual([expect.objectContaining({ field: 'creditCode' })]);
  });

  it('an officer may override a failing check character, explicitly, and the override is audited', async () => {
    const refused = await call(officer, 'POST', '/api/enterprises', { creditCode: '91350100M000100Y44', name: '试点代码企业', industryCode: '1931', regionCode: '330483107' });
    expect(refused.statusCode).toBe(400);
    const accepted = await call(officer, 'POST', '/api/enterprises', { creditCode: '91350100M000100Y44', overrideCreditCodeCheck: true, name: '试点代码企业', industryCode: '1931', regionCode: '330483107' });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json().creditCodeOverride).toBe(true);
    expect(await lastAudit(t)).toMatchObject({ action: 'enterprise.create.override-credit-code' });
    const illegal = await call(officer, 'POST', '/api/enterprises', { creditCode: '9111000060003IOZSV', overrideCreditCodeCheck: true, name: '非法字符', industryCode: '1931', regionCode: '330483107' });
    expect(illegal.statusCode).toBe(400); // only a wrong check character can be overridden
  });

  it('an officer registers and moves enterprises only within their own area', async () => {
    const outside = await call(officer, 'POST', '/api/enterprises', { creditCode: validCreditCode(), name: '石门镇企业', industryCode: '1931', regionCode: '330483103' });
    expect(outside.json().details).toEqual([{ field: 'regionCode', message: '不在您的管辖范围内' }]);
    const enterprise = await makeEnterprise(t);
    const move = await call(officer, 'PATCH', `/api/enterprises/${enterprise.id}`, { regionCode: '330483103' });
    expect(move.json().details[0].field).toBe('regionCode');
  });

  it('is unique by credit code', async () => {
    const code = validCreditCode();
    await makeEnterprise(t, { creditCode: code });
    const duplicate = await call(officer, 'POST', '/api/enterprises', { creditCode: code, name: '重复', industryCode: '1931', regionCode: '330483107' });
    expect(duplicate.json().details).toEqual([{ field: 'creditCode', message: '该统一社会信用代码已建档' }]);
  });

  it('rejects unknown industry and region codes naming the field', async () => {
    const response = await call(officer, 'POST', '/api/enterprises', { creditCode: validCreditCode(), name: '代码错误', industryCode: '9999', regionCode: '330483999999' });
    expect(response.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['industryCode', 'regionCode']);
  });

  it('keeps before and after of every change; a rename keeps the former name searchable', async () => {
    const enterprise = await makeEnterprise(t, { name: '桐乡市旧名弹簧有限公司', industryCode: '3483', revenue: 900 });
    expect(enterprise.scale).toBe('below');
    const updated = await call(officer, 'PATCH', `/api/enterprises/${enterprise.id}`, { name: '浙江新名精密弹簧有限公司', revenue: 2100 });
    expect(updated.json()).toMatchObject({ name: '浙江新名精密弹簧有限公司', scale: 'above', formerNames: ['桐乡市旧名弹簧有限公司'] });
    const audit = JSON.parse((await lastAudit(t)).detail!);
    expect(audit.changes.name).toEqual({ before: '桐乡市旧名弹簧有限公司', after: '浙江新名精密弹簧有限公司' });
    expect(audit.changes.scale).toEqual({ before: 'below', after: 'above' });
    const events = (await call(officer, 'GET', `/api/enterprises/${enterprise.id}/timeline`)).json().items;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['enterprise.updated', 'enterprise.created']);
    const byOldName = (await call(officer, 'GET', `/api/enterprises?q=${encodeURIComponent('旧名弹簧')}`)).json();
    expect(byOldName.items.map((i: { id: string }) => i.id)).toContain(enterprise.id);
    const override = await call(officer, 'PATCH', `/api/enterprises/${enterprise.id}`, { scaleOverride: 'below' });
    expect(override.json().details[0].field).toBe('scaleOverrideReason');
    const withReason = await call(officer, 'PATCH', `/api/enterprises/${enterprise.id}`, { scaleOverride: 'below', scaleOverrideReason: '收入含一次性资产处置' });
    expect(withReason.json()).toMatchObject({ scale: 'below', scaleOverrideReason: '收入含一次性资产处置' });
    const same = await call(officer, 'PATCH', `/api/enterprises/${enterprise.id}`, { revenue: 2100 });
    expect(same.statusCode).toBe(200);
    expect((await call(officer, 'GET', `/api/enterprises/${enterprise.id}/timeline`)).json().total).toBe(3); // no event for no change
  });

  it('searches Chinese names with 1, 2 and 3+ characters, and addresses', async () => {
    const a = await makeEnterprise(t, { name: '桐乡市崇福镇翔宇皮草有限公司', address: '崇福镇凤鸣路88号' });
    const b = await makeEnterprise(t, { name: '浙江翔鹰光学科技有限公司', industryCode: '4040' });
    const ids = async (q: string) => (await call(officer, 'GET', `/api/enterprises?pageSize=200&q=${encodeURIComponent(q)}`)).json().items.map((i: { id: string }) => i.id);
    expect(await ids('翔')).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await ids('翔宇')).toContain(a.id);
    expect(await ids('翔宇')).not.toContain(b.id);
    expect(await ids('翔鹰光学')).toEqual([b.id]);
    expect(await ids('凤鸣路')).toEqual([a.id]);
    expect(await ids('不存在的企业名称')).toEqual([]);
  });

  it('a short query answers the same by index and by scan (the plan chosen for very common terms)', async () => {
    await makeEnterprise(t, { name: '桐乡市凤鸣织造有限公司', address: '崇福镇凤鸣路1号' });
    for (const q of ['凤', '凤鸣', '崇福', '有限', 'x']) {
      const ids = async (mode: 'index' | 'scan') =>
        (await t.db.selectFrom('enterprises').select('id').where((eb) => searchCondition(eb, t.dialect, q, mode)).orderBy('id').execute()).map((r) => r.id);
      const byIndex = await ids('index');
      if (t.dialect === 'sqlite') expect(await ids('scan'), q).toEqual(byIndex);
      if (q !== 'x') expect(byIndex.length, q).toBeGreaterThan(0);
    }
  });

  it('filters by industry and region at any level, scale, status and tags, sorts and paginates', async () => {
    const tag = uniqueName('标签');
    const spring = await makeEnterprise(t, { industryCode: '3483', regionCode: '330483107010', revenue: 5000, tags: [tag, '外贸出口'] });
    const optics = await makeEnterprise(t, { industryCode: '4040', regionCode: '330483107200', revenue: 100, status: 'suspended' });
    const ids = async (query: string) => (await call(officer, 'GET', `/api/enterprises?pageSize=200&${query}`)).json().items.map((i: { id: string }) => i.id);
    for (const code of ['C', '34', '348', '3483']) expect(await ids(`industry=${code}`), code).toContain(spring.id);
    expect(await ids('industry=34')).not.toContain(optics.id);
    for (const code of ['330483', '330483107', '330483107010']) expect(await ids(`region=${code}`), code).toContain(spring.id);
    expect(await ids('region=330483107010')).not.toContain(optics.id);
    expect(await ids('scale=above')).toContain(spring.id);
    expect(await ids('scale=above')).not.toContain(optics.id);
    expect(await ids('status=suspended')).toContain(optics.id);
    expect(await ids('status=suspended')).not.toContain(spring.id);
    expect(await ids(`tags=${encodeURIComponent(tag)}`)).toEqual([spring.id]);
    expect(await ids(`tags=${encodeURIComponent(`${tag},不存在的标签`)}`)).toEqual([]);
    const sorted = (await call(officer, 'GET', '/api/enterprises?sort=-revenue&pageSize=3')).json();
    expect(sorted.items[0].revenue).toBeGreaterThanOrEqual(sorted.items[1].revenue ?? 0);
    const page2 = (await call(officer, 'GET', '/api/enterprises?page=2&pageSize=2')).json();
    expect(page2.items).toHaveLength(2);
    expect(page2.total).toBeGreaterThan(4);
    const counts = (await call(officer, 'GET', '/api/enterprises/counts?industry=C')).json();
    expect(counts.byIndustry.find((row: { code: string }) => row.code === '34')).toMatchObject({ name: '通用设备制造业' });
    expect(counts.byScale.reduce((sum: number, row: { count: number }) => sum + row.count, 0)).toBe(counts.total);
  });

  it('reveals contact phones only to holders of the reveal permission, audited', async () => {
    const enterprise = await makeEnterprise(t, { contacts: [{ name: '陆', phone: '13812345678' }] });
    const revealed = await call(officer, 'POST', `/api/enterprises/${enterprise.id}/contacts/reveal`);
    expect(revealed.json()).toEqual([{ name: '陆', title: null, phone: '13812345678' }]);
    expect(await lastAudit(t)).toMatchObject({ action: 'enterprise.contacts.reveal', object_id: enterprise.id });
    const leader = (await signedIn(t, ['leader'])).session;
    expect((await call(leader, 'POST', `/api/enterprises/${enterprise.id}/contacts/reveal`)).statusCode).toBe(404);
    expect((await call(leader, 'GET', `/api/enterprises/${enterprise.id}`)).json().contacts[0].phone).toBe('138****5678');
  });

  it('editing contacts keeps a phone sent back masked; no full phone reaches the timeline or the audit trail', async () => {
    const enterprise = await makeEnterprise(t, { contacts: [{ name: '钱', title: '厂长', phone: '13911112222' }] });
    const shown = (await call(officer, 'GET', `/api/enterprises/${enterprise.id}`)).json().contacts;
    expect(shown).toEqual([{ name: '钱', title: '厂长', phone: '139****2222' }]);
    const edited = await call(officer, 'PATCH', `/api/enterprises/${enterprise.id}`, { contacts: [...shown, { name: '孙', phone: '13733334444' }] });
    expect(edited.statusCode).toBe(200);
    const revealed = (await call(officer, 'POST', `/api/enterprises/${enterprise.id}/contacts/reveal`)).json();
    expect(revealed.map((c: { phone: string }) => c.phone)).toEqual(['13911112222', '13733334444']);
    const timeline = (await call(officer, 'GET', `/api/enterprises/${enterprise.id}/timeline`)).body;
    expect(timeline).not.toContain('13733334444');
    expect(timeline).toContain('联系人');
    const audit = await t.db.selectFrom('audit_events').select('detail').where('object_id', '=', enterprise.id).execute();
    expect(JSON.stringify(audit)).not.toMatch(/13911112222|13733334444/);
    const masked = await call(officer, 'POST', '/api/enterprises', { creditCode: validCreditCode(), name: '掩码新建', industryCode: '1931', regionCode: '330483107', contacts: [{ name: '周', phone: '139****2222' }] });
    expect(masked.json().details[0].field).toBe('contacts.0.phone');
  });

  it('counts a town by village and a county by town', async () => {
    await makeEnterprise(t, { regionCode: '330483107010' });
    const town = (await call(officer, 'GET', '/api/enterprises/counts')).json();
    // villages, plus enterprises registered at the town itself
    expect(town.byRegion.every((row: { code: string }) => row.code.length === 12 || row.code === '330483107')).toBe(true);
    expect(town.byRegion.find((row: { code: string }) => row.code === '330483107010').name).toContain('中山社区');
    const county = (await call(officer, 'GET', '/api/enterprises/counts?region=330483')).json();
    expect(county.byRegion.every((row: { code: string }) => row.code.length === 9)).toBe(true);
  });

  it('binds an enterprise user with credit code + invite code; without an invite an officer approves', async () => {
    const enterprise = await makeEnterprise(t);
    const invite = (await call(officer, 'POST', `/api/enterprises/${enterprise.id}/invites`)).json();
    expect(invite.code).toMatch(/^[2-9A-Z]{8}$/);
    const manager = await signedIn(t, ['enterprise']);
    expect((await call(manager.session, 'GET', `/api/enterprises/${enterprise.id}`)).statusCode).toBe(404);
    const wrong = await call(manager.session, 'POST', '/api/enterprise-bindings/claim', { creditCode: enterprise.creditCode, inviteCode: 'AAAA2222' });
    expect(wrong.json().details[0].field).toBe('inviteCode');
    const bound = await call(manager.session, 'POST', '/api/enterprise-bindings/claim', { creditCode: enterprise.creditCode.toLowerCase(), inviteCode: invite.code.toLowerCase() });
    expect(bound.json()).toMatchObject({ status: 'bound', enterpriseId: enterprise.id });
    expect((await call(manager.session, 'GET', `/api/enterprises/${enterprise.id}`)).statusCode).toBe(200);
    const reuse = await call((await signedIn(t, ['enterprise'])).session, 'POST', '/api/enterprise-bindings/claim', { creditCode: enterprise.creditCode, inviteCode: invite.code });
    expect(reuse.json().details[0].field).toBe('inviteCode');

    const second = await signedIn(t, ['enterprise']);
    const requested = await call(second.session, 'POST', '/api/enterprise-bindings/claim', { creditCode: enterprise.creditCode });
    expect(requested.json().status).toBe('requested');
    const pending = (await call(officer, 'GET', '/api/enterprise-bindings/requests')).json();
    const request = pending.find((r: { userId: string }) => r.userId === second.user.id);
    expect(request).toMatchObject({ enterpriseId: enterprise.id, status: 'pending' });
    expect((await call(officer, 'POST', `/api/enterprise-bindings/requests/${request.id}/approve`)).statusCode).toBe(204);
    const managers = (await call(officer, 'GET', `/api/enterprises/${enterprise.id}/managers`)).json();
    expect(managers.map((m: { via: string }) => m.via).sort()).toEqual(['approval', 'invite']);
    const mine = (await call(second.session, 'GET', '/api/me/enterprises')).json();
    expect(mine).toEqual([{ id: enterprise.id, name: enterprise.name, creditCode: enterprise.creditCode }]);
    const types = (await call(officer, 'GET', `/api/enterprises/${enterprise.id}/timeline`)).json().items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['enterprise.manager-bound', 'enterprise.invite-issued', 'enterprise.binding-requested']));
  });

  it('a manager of several enterprises sees each of them and nothing else', async () => {
    const [a, b, other] = [await makeEnterprise(t), await makeEnterprise(t), await makeEnterprise(t)];
    const manager = await makeUser(t, { roles: ['enterprise'] });
    for (const enterprise of [a, b]) {
      await t.db.insertInto('enterprise_managers').values({ enterprise_id: enterprise.id, user_id: manager.id, via: 'officer', bound_at: t.clock.now().toISOString() }).execute();
    }
    const session = await login(t, manager);
    const list = (await call(session, 'GET', '/api/enterprises?pageSize=200')).json();
    expect(list.items.map((i: { id: string }) => i.id).sort()).toEqual([a.id, b.id].sort());
    expect(list.total).toBe(2);
    expect((await call(session, 'GET', '/api/enterprises/counts')).json().total).toBe(2);
    expect((await call(session, 'GET', `/api/enterprises/${other.id}`)).statusCode).toBe(404);
    expect((await call(session, 'GET', `/api/enterprises/${other.id}/timeline`)).statusCode).toBe(404);
    expect((await call(session, 'GET', `/api/enterprises/${other.id}/managers`)).statusCode).toBe(404);
    expect((await call(session, 'GET', `/api/enterprises?q=${encodeURIComponent(other.name)}`)).json().total).toBe(0);
  });

  it('an officer of another town sees none of 崇福镇', async () => {
    const enterprise = await makeEnterprise(t);
    const otherTown = await t.db.selectFrom('organisations').select('id').limit(1).executeTakeFirstOrThrow();
    await t.db.updateTable('organisations').set({ region_code: '330483103' }).where('id', '=', otherTown.id).execute();
    const stranger = await makeUser(t, { roles: ['officer'], organisationId: otherTown.id });
    const session = await login(t, stranger);
    expect((await call(session, 'GET', `/api/enterprises/${enterprise.id}`)).statusCode).toBe(404);
    expect((await call(session, 'GET', '/api/enterprises')).json().total).toBe(0);
  });
});
