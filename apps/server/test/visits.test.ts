import type { Role } from '@qinqing/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsxRows } from '../src/modules/enterprises/transfer/xlsx.js';
import { createEnterprisesService } from '../src/modules/enterprises/enterprises.service.js';
import { createLiaisonService } from '../src/modules/visits/liaison.service.js';
import { addDays, chinaToday } from '../src/modules/visits/visit-rules.js';
import { insertVisits } from '../src/modules/visits/visit-timeline.js';
import { createVisitsService } from '../src/modules/visits/visits.service.js';
import type { Actor } from '../src/platform/actor.js';
import { createAuditService } from '../src/platform/audit/audit.service.js';
import { verifyAuditChain } from '../src/platform/audit/audit.service.js';
import { newId } from '../src/platform/crypto.js';
import { createTimeline } from '../src/platform/timeline.js';
import { type Session, type TestApp, createTestApp, dialects, login, makeEnterprise, makeUser, uniqueName } from './harness.js';

interface Person {
  id: string;
  organisationId: string;
  session: Session;
  actor: Actor;
}

describe.each(dialects())('visits and liaison on %s', (dialect) => {
  let t: TestApp;
  let today: string;
  let town: string;
  let officer: Person;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    today = chinaToday(t.clock.now());
    town = await makeUnit('330483107', uniqueName('崇福镇经发中心'));
    officer = await person(['officer'], town);
  });
  afterAll(async () => t?.close());

  async function makeUnit(regionCode: string | null, name = uniqueName('单位')) {
    const id = newId();
    const now = t.clock.now().toISOString();
    await t.db.insertInto('organisations').values({ id, name, kind: 'government', region_code: regionCode, parent_id: null, is_enabled: 1, created_at: now, updated_at: now }).execute();
    return id;
  }

  async function person(roles: Role[], organisationId: string): Promise<Person> {
    const user = await makeUser(t, { roles, organisationId });
    const organisation = await t.db.selectFrom('organisations').select('region_code').where('id', '=', organisationId).executeTakeFirstOrThrow();
    return {
      id: user.id,
      organisationId,
      session: await login(t, user),
      actor: { userId: user.id, username: user.username, roles, organisationId, regionCode: organisation.region_code, via: 'session', pending: null },
    };
  }

  async function assign(instructor: Person, enterpriseId: string) {
    await t.db.insertInto('enterprise_instructors').values({ enterprise_id: enterpriseId, user_id: instructor.id, assigned_at: t.clock.now().toISOString() }).execute();
  }

  const call = (who: Person, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, payload, headers: { ...who.session.headers, ...headers } });

  async function ok(who: Person, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object, status = method === 'POST' && !/\/(record|cancel|appeal|reveal)$/.test(url) ? 201 : 200) {
    const response = await call(who, method, url, payload);
    if (response.statusCode !== status) throw new Error(`${method} ${url} → ${response.statusCode} (expected ${status}): ${response.body}`);
    return response.json();
  }

  const timelineOf = async (enterpriseId: string) => t.db.selectFrom('enterprise_events').selectAll().where('enterprise_id', '=', enterpriseId).orderBy('id').execute();
  const auditsOf = async (objectId: string) => (await t.db.selectFrom('audit_events').select('action').where('object_id', '=', objectId).orderBy('id').execute()).map((row) => row.action);

  it('a plan is recorded as done or cancelled; a record is never cancelled; a cancelled plan is final', async () => {
    const enterprise = await makeEnterprise(t);
    const plan = await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'planned', plannedOn: addDays(today, 3), topics: ['用电扩容'] });
    expect(plan).toMatchObject({ status: 'planned', plannedOn: addDays(today, 3), visitedOn: null, date: addDays(today, 3), visitorId: officer.id, organisationId: town, canEdit: true, warnings: [] });

    const recorded = await ok(officer, 'POST', `/api/visits/${plan.id}/record`, {
      visitedOn: today,
      peopleMet: [{ name: '沈建华', position: '总经理' }],
      summary: '企业订单饱满，扩产需要增容',
      problems: [{ text: '变压器容量不足，需增容 800 kVA' }, { text: '员工子女入学' }],
      followUps: [{ text: '联系供电公司', dueOn: addDays(today, 7) }],
    });
    expect(recorded).toMatchObject({ status: 'done', visitedOn: today, date: today, plannedOn: addDays(today, 3), topics: ['用电扩容'], peopleMet: [{ name: '沈建华', position: '总经理' }] });
    expect(recorded.problems).toHaveLength(2);
    expect(recorded.problems[0]).toMatchObject({ text: '变压器容量不足，需增容 800 kVA', appealId: null, id: expect.any(String) });
    expect(recorded.followUps[0]).toMatchObject({ text: '联系供电公司', done: false, doneAt: null });

    const cancelDone = await call(officer, 'POST', `/api/visits/${plan.id}/cancel`, { reason: '改期' });
    expect(cancelDone.statusCode).toBe(409);
    expect(cancelDone.json().message).toContain('只有计划中的走访可以取消');
    expect((await call(officer, 'POST', `/api/visits/${plan.id}/record`, { visitedOn: today })).statusCode).toBe(409);

    const other = await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'planned', plannedOn: addDays(today, 20) });
    const cancelled = await ok(officer, 'POST', `/api/visits/${other.id}/cancel`, { reason: '企业负责人出差' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: '企业负责人出差' });
    expect((await call(officer, 'POST', `/api/visits/${other.id}/record`, { visitedOn: today })).statusCode).toBe(409);
    expect((await call(officer, 'PATCH', `/api/visits/${other.id}`, { summary: '补记' })).statusCode).toBe(409);
    expect((await call(officer, 'POST', `/api/visits/${other.id}/cancel`, { reason: '再次取消' })).statusCode).toBe(409);

    const types = (await timelineOf(enterprise.id)).map((event) => event.type);
    expect(types).toEqual(['enterprise.created', 'visit.planned', 'visit.recorded', 'visit.planned', 'visit.cancelled']);
    const recordedEvent = (await timelineOf(enterprise.id)).find((event) => event.type === 'visit.recorded')!;
    expect(recordedEvent.summary).toContain(today);
    expect(recordedEvent.summary).toContain('反映问题 2 个');
    expect(await auditsOf(plan.id)).toEqual(['visit.plan', 'visit.record']);
    expect(await auditsOf(other.id)).toEqual(['visit.plan', 'visit.cancel']);
  });

  it('dates: a plan needs its date, a record cannot be in the future, a record keeps no planned move', async () => {
    const enterprise = await makeEnterprise(t);
    const noDate = await call(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'planned' });
    expect(noDate.statusCode).toBe(400);
    expect(noDate.json().details).toEqual([{ field: 'plannedOn', message: '必填' }]);
    const future = await call(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: addDays(today, 2) });
    expect(future.statusCode).toBe(400);
    expect(future.json().details).toEqual([{ field: 'visitedOn', message: '走访日期不能晚于今天' }]);
    const badDate = await call(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: '2026-02-30x' });
    expect(badDate.json().details[0].field).toBe('visitedOn');
    const done = await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: addDays(today, -1) });
    const move = await call(officer, 'PATCH', `/api/visits/${done.id}`, { plannedOn: today });
    expect(move.json().details).toEqual([{ field: 'plannedOn', message: '只有走访计划可以改期' }]);
    const moved = await ok(officer, 'PATCH', `/api/visits/${done.id}`, { visitedOn: addDays(today, -2), followUps: [{ text: '回访', done: true }] });
    expect(moved).toMatchObject({ visitedOn: addDays(today, -2), date: addDays(today, -2) });
    expect(moved.followUps[0]).toMatchObject({ done: true, doneAt: t.clock.now().toISOString() });
    expect(await auditsOf(done.id)).toEqual(['visit.record', 'visit.update']);
  });

  it('scope: an instructor sees and records visits only of assigned enterprises; another area is 404; editing is own or area', async () => {
    const assigned = await makeEnterprise(t);
    const notAssigned = await makeEnterprise(t);
    const instructorUnit = await makeUnit(null, uniqueName('驻企指导组'));
    const instructor = await person(['instructor'], instructorUnit);
    await assign(instructor, assigned.id);
    const onAssigned = await ok(officer, 'POST', '/api/visits', { enterpriseId: assigned.id, status: 'done', visitedOn: today });
    const onOther = await ok(officer, 'POST', '/api/visits', { enterpriseId: notAssigned.id, status: 'done', visitedOn: today });

    const list = await ok(instructor, 'GET', `/api/visits?pageSize=500&from=${today}&to=${today}`);
    const ids = list.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(onAssigned.id);
    expect(ids).not.toContain(onOther.id);
    expect((await call(instructor, 'GET', `/api/visits/${onOther.id}`)).statusCode).toBe(404);
    expect((await call(instructor, 'GET', `/api/visits?enterpriseId=${notAssigned.id}`)).json().items).toEqual([]);
    expect((await call(instructor, 'POST', '/api/visits', { enterpriseId: notAssigned.id, status: 'done', visitedOn: today })).statusCode).toBe(404);
    expect((await call(instructor, 'GET', `/api/enterprises/${notAssigned.id}/last-visit`)).statusCode).toBe(404);

    // Reading a colleague's visit is fine; changing it is not. Own visits are.
    const seen = await ok(instructor, 'GET', `/api/visits/${onAssigned.id}`);
    expect(seen.canEdit).toBe(false);
    expect((await call(instructor, 'PATCH', `/api/visits/${onAssigned.id}`, { summary: '改别人的记录' })).statusCode).toBe(403);
    const own = await ok(instructor, 'POST', '/api/visits', { enterpriseId: assigned.id, status: 'planned', plannedOn: addDays(today, 1) });
    expect(own).toMatchObject({ organisationId: instructorUnit, canEdit: true });
    await ok(instructor, 'PATCH', `/api/visits/${own.id}`, { topics: ['招工'] });
    // The area's officer may change the instructor's plan.
    expect((await ok(officer, 'GET', `/api/visits/${own.id}`)).canEdit).toBe(true);
    await ok(officer, 'PATCH', `/api/visits/${own.id}`, { plannedOn: addDays(today, 2) });

    const elsewhere = await person(['officer'], await makeUnit('330483103', uniqueName('石门镇经发中心')));
    expect((await call(elsewhere, 'GET', `/api/visits/${onAssigned.id}`)).statusCode).toBe(404);
    expect((await call(elsewhere, 'PATCH', `/api/visits/${onAssigned.id}`, { summary: 'x' })).statusCode).toBe(404);
    expect((await call(elsewhere, 'POST', `/api/visits/${own.id}/cancel`, { reason: 'x' })).statusCode).toBe(404);
    expect((await call(elsewhere, 'GET', `/api/enterprises/${assigned.id}/last-visit`)).statusCode).toBe(404);
    expect((await ok(elsewhere, 'GET', `/api/visits?enterpriseId=${assigned.id}`)).total).toBe(0);

    // A leader of the town reads everything in the area.
    const leader = await person(['leader'], town);
    expect((await ok(leader, 'GET', `/api/visits/${onOther.id}`)).canEdit).toBe(false);
  });

  it('the 7-day warning names the other unit, not your own, and not visits further away or cancelled', async () => {
    const enterprise = await makeEnterprise(t);
    const otherUnitName = uniqueName('桐乡市商务局');
    const otherUnit = await makeUnit('330483107', otherUnitName);
    const visitorOfOtherUnit = await person(['officer'], otherUnit);
    const colleague = await person(['officer'], town);
    await ok(visitorOfOtherUnit, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: addDays(today, -3) });
    await ok(visitorOfOtherUnit, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: addDays(today, -10) });
    const dropped = await ok(visitorOfOtherUnit, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'planned', plannedOn: addDays(today, 2) });
    await ok(visitorOfOtherUnit, 'POST', `/api/visits/${dropped.id}/cancel`, { reason: '不去了' });
    await ok(colleague, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: addDays(today, -1) });

    const mine = await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: today });
    expect(mine.warnings).toHaveLength(1);
    expect(mine.warnings[0]).toMatchObject({ status: 'done', date: addDays(today, -3), organisationId: otherUnit, organisationName: otherUnitName });
    expect(mine.warnings[0].message).toContain(otherUnitName);
    expect(mine.warnings[0].message).toContain('已于');
    const english = await call(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'planned', plannedOn: addDays(today, 4) }, { 'accept-language': 'en-US' });
    expect(english.json().warnings.map((w: { message: string }) => w.message)).toEqual([`${otherUnitName} (测试 ${(await t.db.selectFrom('users').select('username').where('id', '=', visitorOfOtherUnit.id).executeTakeFirstOrThrow()).username}) visited this enterprise on ${addDays(today, -3)}`]);

    // The other unit, planning next week, hears about both of ours and not about its own.
    const theirs = await ok(visitorOfOtherUnit, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'planned', plannedOn: addDays(today, 5) });
    expect(theirs.warnings.map((w: { organisationId: string }) => w.organisationId)).toEqual([town, town, town]);
    expect(theirs.warnings.map((w: { status: string }) => w.status).sort()).toEqual(['done', 'done', 'planned']);
  });

  it('last visit: the latest record by whom and their unit, the next plan, the count', async () => {
    const enterprise = await makeEnterprise(t);
    const empty = await ok(officer, 'GET', `/api/enterprises/${enterprise.id}/last-visit`);
    expect(empty).toEqual({ lastVisit: null, nextPlan: null, doneCount: 0 });
    const unitName = uniqueName('崇福镇驻企组');
    const instructor = await person(['instructor'], await makeUnit(null, unitName));
    await assign(instructor, enterprise.id);
    await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: addDays(today, -30) });
    const latest = await ok(instructor, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: addDays(today, -2) });
    const plan = await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'planned', plannedOn: addDays(today, 6) });
    const last = await ok(instructor, 'GET', `/api/enterprises/${enterprise.id}/last-visit`);
    expect(last).toEqual({
      lastVisit: { visitId: latest.id, visitedOn: addDays(today, -2), visitorName: latest.visitorName, organisationName: unitName },
      nextPlan: { visitId: plan.id, plannedOn: addDays(today, 6), visitorName: plan.visitorName, organisationName: plan.organisationName },
      doneCount: 2,
    });
    const calendar = await ok(officer, 'GET', `/api/visits?enterpriseId=${enterprise.id}&order=asc&from=${addDays(today, -40)}&to=${addDays(today, 10)}`);
    expect(calendar.items.map((item: { date: string }) => item.date)).toEqual([addDays(today, -30), addDays(today, -2), addDays(today, 6)]);
    const visitors = await ok(officer, 'GET', '/api/visits/visitors');
    expect(visitors).toContainEqual({ userId: instructor.id, displayName: latest.visitorName, organisationId: instructor.organisationId, organisationName: unitName });
  });

  it('a problem becomes an appeal in one click: POST /api/appeals with the origin, then the link is stored', async () => {
    const enterprise = await makeEnterprise(t);
    const visit = await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: today, problems: [{ text: '厂区门口电力线需迁改' }, { text: '出口货物查验慢' }] });
    const [power, exportProblem] = visit.problems;
    const appeal = await ok(officer, 'POST', '/api/appeals', { enterpriseId: enterprise.id, categoryCode: 'utilities', title: '电力线迁改', description: power.text, urgency: 'normal', origin: { kind: 'visit', id: visit.id } });
    const linked = await ok(officer, 'POST', `/api/visits/${visit.id}/problems/${power.id}/appeal`, { appealId: appeal.id });
    expect(linked.problems[0]).toMatchObject({ id: power.id, appealId: appeal.id });
    expect(await auditsOf(visit.id)).toContain('visit.problem.link-appeal');
    // Idempotent for the same appeal; another appeal for the same problem is a conflict.
    expect((await call(officer, 'POST', `/api/visits/${visit.id}/problems/${power.id}/appeal`, { appealId: appeal.id })).statusCode).toBe(200);
    const second = await ok(officer, 'POST', '/api/appeals', { enterpriseId: enterprise.id, categoryCode: 'export', title: '出口查验', description: exportProblem.text, urgency: 'normal', origin: { kind: 'visit', id: visit.id } });
    expect((await call(officer, 'POST', `/api/visits/${visit.id}/problems/${power.id}/appeal`, { appealId: second.id })).statusCode).toBe(409);
    expect((await call(officer, 'POST', `/api/visits/${visit.id}/problems/${exportProblem.id}/appeal`, { appealId: appeal.id })).statusCode).toBe(409);
    expect((await call(officer, 'POST', `/api/visits/${visit.id}/problems/nope/appeal`, { appealId: second.id })).statusCode).toBe(404);

    // An appeal of another enterprise, or raised from another visit, is refused naming appealId.
    const otherEnterprise = await makeEnterprise(t);
    const foreign = await ok(officer, 'POST', '/api/appeals', { enterpriseId: otherEnterprise.id, categoryCode: 'other', title: '别家的诉求', description: '别家的诉求', urgency: 'normal' });
    const refused = await call(officer, 'POST', `/api/visits/${visit.id}/problems/${exportProblem.id}/appeal`, { appealId: foreign.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details).toEqual([{ field: 'appealId', message: '诉求不存在或不属于该企业' }]);
    const otherVisit = await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: today, problems: [{ text: '另一个问题' }] });
    expect((await call(officer, 'POST', `/api/visits/${otherVisit.id}/problems/${otherVisit.problems[0].id}/appeal`, { appealId: second.id })).json().details[0].message).toBe('该诉求来自其他走访或座谈会');
    const missing = await call(officer, 'POST', `/api/visits/${visit.id}/problems/${exportProblem.id}/appeal`, { appealId: newId() });
    expect(missing.statusCode).toBe(400);

    // A problem that became an appeal can neither be reworded nor dropped; the others can.
    const reworded = await call(officer, 'PATCH', `/api/visits/${visit.id}`, { problems: [{ id: power.id, text: '改写' }, { id: exportProblem.id, text: exportProblem.text }] });
    expect(reworded.json().details).toEqual([{ field: 'problems.0.text', message: '已转为诉求，不能修改' }]);
    const dropped = await call(officer, 'PATCH', `/api/visits/${visit.id}`, { problems: [{ id: exportProblem.id, text: exportProblem.text }] });
    expect(dropped.json().details).toEqual([{ field: 'problems', message: '已转为诉求的条目不能删除' }]);
    const kept = await ok(officer, 'PATCH', `/api/visits/${visit.id}`, { problems: [{ id: power.id, text: power.text }, { text: '新增：招工难' }] });
    expect(kept.problems).toEqual([{ id: power.id, text: power.text, appealId: appeal.id }, { id: expect.any(String), text: '新增：招工难', appealId: null }]);
    const listed = await ok(officer, 'GET', `/api/visits?enterpriseId=${enterprise.id}`);
    expect(listed.items.find((item: { id: string }) => item.id === visit.id)).toMatchObject({ problemCount: 2, appealCount: 1 });
  });

  it('liaison point with members, a symposium with attendance on the members’ files and suggestions that become appeals', async () => {
    const [host, second, outsider] = [await makeEnterprise(t), await makeEnterprise(t), await makeEnterprise(t)];
    const point = await ok(officer, 'POST', '/api/liaison-points', { name: uniqueName('崇福皮草联络点'), regionCode: '330483107', hostEnterpriseId: host.id, contactName: '沈丽', contactPhone: '13905731234', memberIds: [host.id, second.id] });
    expect(point).toMatchObject({ regionCode: '330483107', hostEnterpriseName: host.name, contactPhone: '139****1234', isActive: true, memberCount: 2 });
    expect(point.members.map((member: { enterpriseId: string }) => member.enterpriseId).sort()).toEqual([host.id, second.id].sort());
    const outOfArea = await call(officer, 'POST', '/api/liaison-points', { name: '石门联络点', regionCode: '330483103' });
    expect(outOfArea.json().details).toEqual([{ field: 'regionCode', message: '不在您的管辖范围内' }]);
    const revealed = await ok(officer, 'POST', `/api/liaison-points/${point.id}/contact/reveal`);
    expect(revealed.contactPhone).toBe('13905731234');
    const unchanged = await ok(officer, 'PATCH', `/api/liaison-points/${point.id}`, { contactPhone: '139****1234', address: '崇福镇世纪大道 1 号' });
    expect((await ok(officer, 'POST', `/api/liaison-points/${point.id}/contact/reveal`)).contactPhone).toBe('13905731234');
    expect(unchanged.address).toBe('崇福镇世纪大道 1 号');

    const symposium = await ok(officer, 'POST', '/api/symposiums', {
      liaisonPointId: point.id,
      heldOn: '2026-08-14',
      topic: '三季度企业座谈会',
      suggestions: [{ enterpriseId: second.id, text: '希望协调解决员工子女入学' }, { text: '建议多组织银企对接' }],
    });
    expect(symposium).toMatchObject({ quarter: '2026Q3', liaisonPointName: point.name, suggestionCount: 2, attendeeCount: 0 });
    const withAttendance = await ok(officer, 'PUT', `/api/symposiums/${symposium.id}/attendance`, {
      attendees: [
        { enterpriseId: host.id, personName: '沈丽' },
        { enterpriseId: host.id, personName: '李强' },
        { enterpriseId: second.id, personName: '王芳' },
      ],
    });
    expect(withAttendance).toMatchObject({ attendeeCount: 3, enterpriseCount: 2 });
    const hostEvents = (await timelineOf(host.id)).filter((event) => event.type.startsWith('symposium.'));
    expect(hostEvents).toHaveLength(1);
    expect(hostEvents[0].summary).toContain('三季度企业座谈会');
    expect(hostEvents[0].summary).toContain('沈丽、李强');
    // Taking the second enterprise off the list corrects its file; the host's unchanged attendance adds nothing.
    await ok(officer, 'PUT', `/api/symposiums/${symposium.id}/attendance`, { attendees: [{ enterpriseId: host.id, personName: '沈丽' }, { enterpriseId: host.id, personName: '李强' }] });
    expect((await timelineOf(second.id)).map((event) => event.type).filter((type) => type.startsWith('symposium.'))).toEqual(['symposium.attended', 'symposium.attendance-withdrawn']);
    expect((await timelineOf(host.id)).filter((event) => event.type.startsWith('symposium.'))).toHaveLength(1);
    const hidden = await call(officer, 'PUT', `/api/symposiums/${symposium.id}/attendance`, { attendees: [{ enterpriseId: newId(), personName: '某人' }] });
    expect(hidden.json().details).toEqual([{ field: 'attendees.0.enterpriseId', message: '企业不存在或不在您的管辖范围内' }]);

    // Suggestion → appeal.
    const [schooling, banks] = symposium.suggestions;
    const appeal = await ok(officer, 'POST', '/api/appeals', { enterpriseId: second.id, categoryCode: 'workforce', title: '员工子女入学', description: schooling.text, urgency: 'normal', origin: { kind: 'symposium', id: symposium.id } });
    const linked = await ok(officer, 'POST', `/api/symposiums/${symposium.id}/suggestions/${schooling.id}/appeal`, { appealId: appeal.id });
    expect(linked.suggestions[0]).toMatchObject({ enterpriseId: second.id, enterpriseName: second.name, appealId: appeal.id });
    expect(linked.appealCount).toBe(1);
    const anonymous = await call(officer, 'POST', `/api/symposiums/${symposium.id}/suggestions/${banks.id}/appeal`, { appealId: appeal.id });
    expect(anonymous.json().details).toEqual([{ field: 'appealId', message: '请先选择提出建议的企业' }]);
    const changed = await call(officer, 'PATCH', `/api/symposiums/${symposium.id}`, { suggestions: [{ id: schooling.id, enterpriseId: host.id, text: schooling.text }] });
    expect(changed.json().details.map((d: { field: string }) => d.field)).toEqual(['suggestions.0.text']);
    expect((await call(officer, 'DELETE', `/api/symposiums/${symposium.id}`)).statusCode).toBe(409);

    // Who sees it: the instructor of a member enterprise; not the instructor of an outsider, nor another area.
    const memberInstructor = await person(['instructor'], await makeUnit(null));
    await assign(memberInstructor, second.id);
    const outsiderInstructor = await person(['instructor'], await makeUnit(null));
    await assign(outsiderInstructor, outsider.id);
    expect((await ok(memberInstructor, 'GET', `/api/liaison-points/${point.id}`)).name).toBe(point.name);
    expect((await ok(memberInstructor, 'GET', `/api/symposiums?liaisonPointId=${point.id}`)).total).toBe(1);
    expect((await call(outsiderInstructor, 'GET', `/api/liaison-points/${point.id}`)).statusCode).toBe(404);
    expect((await call(outsiderInstructor, 'GET', `/api/symposiums/${symposium.id}`)).statusCode).toBe(404);
    expect((await ok(outsiderInstructor, 'GET', '/api/liaison-points')).items.map((p: { id: string }) => p.id)).not.toContain(point.id);
    const elsewhere = await person(['officer'], await makeUnit('330483103'));
    expect((await call(elsewhere, 'GET', `/api/liaison-points/${point.id}`)).statusCode).toBe(404);
    expect((await call(elsewhere, 'PUT', `/api/liaison-points/${point.id}/members`, { enterpriseIds: [] })).statusCode).toBe(404);
    expect((await ok(officer, 'GET', `/api/symposiums?quarter=2026Q3&liaisonPointId=${point.id}`)).items).toHaveLength(1);

    // Members change; a symposium without attendance can be deleted; a closed point takes no new symposiums.
    const members = await ok(officer, 'PUT', `/api/liaison-points/${point.id}/members`, { enterpriseIds: [host.id, outsider.id] });
    expect(members.members.map((member: { enterpriseId: string }) => member.enterpriseId).sort()).toEqual([host.id, outsider.id].sort());
    const draft = await ok(officer, 'POST', '/api/symposiums', { liaisonPointId: point.id, heldOn: '2026-11-20', topic: '四季度座谈会' });
    expect(draft.quarter).toBe('2026Q4');
    expect((await call(officer, 'DELETE', `/api/symposiums/${draft.id}`)).statusCode).toBe(204);
    await ok(officer, 'PATCH', `/api/liaison-points/${point.id}`, { isActive: false });
    expect((await call(officer, 'POST', '/api/symposiums', { liaisonPointId: point.id, heldOn: '2026-12-01', topic: 'x' })).statusCode).toBe(409);
    expect(await auditsOf(point.id)).toEqual(['liaison-point.create', 'liaison-point.contact.reveal', 'liaison-point.update', 'liaison-point.contact.reveal', 'liaison-point.members', 'liaison-point.update']);
    expect(await verifyAuditChain(t.db)).toMatchObject({ intact: true });
  });

  it('timeline rows are written in the transaction of the change: a failed write leaves neither', async () => {
    const enterprise = await makeEnterprise(t);
    const timeline = createTimeline({ clock: t.clock });
    const realAudit = createAuditService({ clock: t.clock });
    // The audit row is the last write of each change; failing it must take the visit and its timeline row with it.
    const failingAudit = { ...realAudit, append: async () => Promise.reject(new Error('disk full')) };
    const enterprises = createEnterprisesService({ db: t.db, dialect: t.dialect, clock: t.clock, audit: realAudit, timeline });
    const visits = createVisitsService({ db: t.db, clock: t.clock, audit: failingAudit, timeline, enterprises });
    const before = await timelineOf(enterprise.id);
    await expect(visits.createVisit({ enterpriseId: enterprise.id, status: 'done', visitedOn: today }, { actor: officer.actor, ip: null })).rejects.toThrow('disk full');
    await expect(visits.createVisit({ enterpriseId: enterprise.id, status: 'planned', plannedOn: today }, { actor: officer.actor, ip: null })).rejects.toThrow('disk full');
    expect(await timelineOf(enterprise.id)).toEqual(before);
    expect(await t.db.selectFrom('visits').select('id').where('enterprise_id', '=', enterprise.id).execute()).toEqual([]);

    // Recording a plan: the status change and its timeline row go together.
    const working = createVisitsService({ db: t.db, clock: t.clock, audit: realAudit, timeline, enterprises });
    const { visit } = await working.createVisit({ enterpriseId: enterprise.id, status: 'planned', plannedOn: today }, { actor: officer.actor, ip: null });
    const afterPlan = await timelineOf(enterprise.id);
    await expect(visits.recordVisit(visit.id, { visitedOn: today }, { actor: officer.actor, ip: null })).rejects.toThrow('disk full');
    expect(await timelineOf(enterprise.id)).toEqual(afterPlan);
    expect((await t.db.selectFrom('visits').select('status').where('id', '=', visit.id).executeTakeFirstOrThrow()).status).toBe('planned');

    // Symposium attendance likewise.
    const point = await ok(officer, 'POST', '/api/liaison-points', { name: uniqueName('联络点'), regionCode: '330483107', memberIds: [enterprise.id] });
    const symposium = await ok(officer, 'POST', '/api/symposiums', { liaisonPointId: point.id, heldOn: today, topic: '座谈' });
    const liaison = createLiaisonService({ db: t.db, clock: t.clock, audit: failingAudit, timeline });
    await expect(liaison.replaceAttendance(symposium.id, { attendees: [{ enterpriseId: enterprise.id, personName: '沈丽' }] }, { actor: officer.actor, ip: null })).rejects.toThrow('disk full');
    expect(await timelineOf(enterprise.id)).toEqual(afterPlan);
    expect(await t.db.selectFrom('symposium_attendees').select('person_name').where('symposium_id', '=', symposium.id).execute()).toEqual([]);
  });

  it('bulk load (demo data): rows and their timeline entries in one transaction, read back like any visit', async () => {
    const enterprise = await makeEnterprise(t);
    const timeline = createTimeline({ clock: t.clock });
    const base = { enterpriseId: enterprise.id, visitorUserId: officer.id, visitorOrganisationId: town, visitorName: '王敏', organisationName: '经发中心', createdBy: null, at: t.clock.now().toISOString() };
    const loaded = await t.db.transaction().execute((trx) =>
      insertVisits(trx, timeline, null, [
        { ...base, id: newId(), status: 'done', plannedOn: null, visitedOn: addDays(today, -200), topics: ['融资'], problems: [{ id: 'p1', text: '流动资金紧张', appealId: null }] },
        { ...base, id: newId(), status: 'done', plannedOn: addDays(today, -41), visitedOn: addDays(today, -40) },
        { ...base, id: newId(), status: 'cancelled', plannedOn: addDays(today, -10), visitedOn: null, cancelReason: '改期' },
        { ...base, id: newId(), status: 'planned', plannedOn: addDays(today, 9), visitedOn: null },
      ]),
    );
    expect(loaded).toBe(4);
    expect((await timelineOf(enterprise.id)).map((event) => event.type)).toEqual(['enterprise.created', 'visit.recorded', 'visit.recorded', 'visit.planned']);
    expect(await ok(officer, 'GET', `/api/enterprises/${enterprise.id}/last-visit`)).toMatchObject({ lastVisit: { visitedOn: addDays(today, -40), visitorName: expect.any(String) }, nextPlan: { plannedOn: addDays(today, 9) }, doneCount: 2 });
    const listed = await ok(officer, 'GET', `/api/visits?enterpriseId=${enterprise.id}&status=done&order=asc`);
    expect(listed.items.map((item: { date: string; problemCount: number }) => [item.date, item.problemCount])).toEqual([[addDays(today, -200), 1], [addDays(today, -40), 0]]);
  });

  it('exports the filtered visits list as xlsx, within scope, audited', async () => {
    const enterprise = await makeEnterprise(t);
    await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: today, topics: ['融资'], problems: [{ text: '流动资金紧张' }], peopleMet: [{ name: '沈建华', position: '总经理' }] });
    await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'planned', plannedOn: addDays(today, 1) });
    const response = await call(officer, 'GET', `/api/visits/export?enterpriseId=${enterprise.id}&status=done`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toContain(encodeURIComponent('走访记录'));
    const rows = [];
    for await (const row of readXlsxRows(response.rawPayload)) rows.push(row.cells);
    expect(rows).toHaveLength(2);
    expect(rows[0][0]).toBe('日期');
    expect(rows[1]).toEqual(expect.arrayContaining([today, '已走访', enterprise.name, enterprise.creditCode, '沈建华（总经理）', '融资', '流动资金紧张']));
    expect((await t.db.selectFrom('audit_events').select('action').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).action).toBe('visit.export');
  });

  it('an edit writes what changed on the file, in its transaction, without the people met; a status change says so', async () => {
    const enterprise = await makeEnterprise(t);
    const done = await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'done', visitedOn: addDays(today, -1), peopleMet: [{ name: '沈建华', position: '总经理' }] });
    await ok(officer, 'PATCH', `/api/visits/${done.id}`, { visitedOn: addDays(today, -2), peopleMet: [{ name: '钱芳', position: '财务' }], problems: [{ text: '融资难' }] });
    const edited = (await timelineOf(enterprise.id)).at(-1)!;
    expect(edited.type).toBe('visit.updated');
    expect(edited.summary).toBe(`走访记录已更新：走访日期（改为 ${addDays(today, -2)}）、会见人员、反映问题`);
    expect(edited.actor_user_id).toBe(officer.id);
    expect(JSON.stringify(edited)).not.toContain('钱芳');
    expect(JSON.stringify(edited)).not.toContain('沈建华');
    expect(JSON.parse(edited.data!)).toEqual({ visitId: done.id, status: 'done', fields: ['visited_on', 'people_met', 'problems'], visitedOn: addDays(today, -2) });

    // Saving the same values changes nothing: no audit row, no timeline entry.
    const count = (await timelineOf(enterprise.id)).length;
    await ok(officer, 'PATCH', `/api/visits/${done.id}`, { visitedOn: addDays(today, -2) });
    expect(await timelineOf(enterprise.id)).toHaveLength(count);
    expect(await auditsOf(done.id)).toEqual(['visit.record', 'visit.update']);

    // A plan: moved, then done (planned → 已走访); another cancelled.
    const plan = await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'planned', plannedOn: addDays(today, 3) });
    await ok(officer, 'PATCH', `/api/visits/${plan.id}`, { plannedOn: addDays(today, 4), topics: ['招工'] });
    await ok(officer, 'POST', `/api/visits/${plan.id}/record`, { visitedOn: today });
    const other = await ok(officer, 'POST', '/api/visits', { enterpriseId: enterprise.id, status: 'planned', plannedOn: addDays(today, 9) });
    await ok(officer, 'POST', `/api/visits/${other.id}/cancel`, { reason: '改期' });
    const events = (await timelineOf(enterprise.id)).slice(count);
    expect(events.map((event) => event.type)).toEqual(['visit.planned', 'visit.updated', 'visit.recorded', 'visit.planned', 'visit.cancelled']);
    expect(events[1].summary).toBe(`走访计划已更新：计划日期（改为 ${addDays(today, 4)}）、走访主题`);
    expect(events[2].summary).toContain(`计划走访已完成（已走访），原计划 ${addDays(today, 4)}；走访：${today}`);
    expect(JSON.parse(events[2].data!)).toMatchObject({ previousStatus: 'planned', plannedOn: addDays(today, 4), visitedOn: today });
    expect(events[4].summary).toContain('取消走访计划');

    // The entry and the change go together: a failed audit write leaves neither.
    const timeline = createTimeline({ clock: t.clock });
    const realAudit = createAuditService({ clock: t.clock });
    const failingAudit = { ...realAudit, append: async () => Promise.reject(new Error('disk full')) };
    const enterprises = createEnterprisesService({ db: t.db, dialect: t.dialect, clock: t.clock, audit: realAudit, timeline });
    const failing = createVisitsService({ db: t.db, clock: t.clock, audit: failingAudit, timeline, enterprises });
    const beforeFailure = await timelineOf(enterprise.id);
    await expect(failing.updateVisit(done.id, { summary: '补记情况' }, { actor: officer.actor, ip: null })).rejects.toThrow('disk full');
    expect(await timelineOf(enterprise.id)).toEqual(beforeFailure);
    expect((await t.db.selectFrom('visits').select('summary').where('id', '=', done.id).executeTakeFirstOrThrow()).summary).toBeNull();
  });

  it('the calendar filters by unit and by visitor (mine), says when a month holds more than the limit, keeps the scope', async () => {
    const enterprise = await makeEnterprise(t);
    const otherUnit = await makeUnit('330483107', uniqueName('桐乡市经信局'));
    const colleague = await person(['officer'], otherUnit);
    // A busy month far away, so no other test's visits fall into it: 300 of ours, 201 of the other unit.
    const month = { from: '2031-03-01', to: '2031-03-31' };
    const timeline = createTimeline({ clock: t.clock });
    const at = t.clock.now().toISOString();
    const plans = Array.from({ length: 501 }, (_, index) => {
      const ours = index < 300;
      return {
        id: newId(),
        enterpriseId: enterprise.id,
        status: 'planned' as const,
        plannedOn: `2031-03-${String((index % 28) + 1).padStart(2, '0')}`,
        visitedOn: null,
        visitorUserId: ours ? officer.id : colleague.id,
        visitorOrganisationId: ours ? town : otherUnit,
        visitorName: ours ? '王敏' : '李强',
        organisationName: null,
        createdBy: null,
        at,
      };
    });
    await t.db.transaction().execute((trx) => insertVisits(trx, timeline, null, plans));
    const calendar = (who: Person, filters = '') => ok(who, 'GET', `/api/visits?from=${month.from}&to=${month.to}&order=asc&pageSize=500${filters}`);

    const all = await calendar(officer);
    expect(all).toMatchObject({ total: 501, hasMore: true });
    expect(all.items).toHaveLength(500);
    const second = await ok(officer, 'GET', `/api/visits?from=${month.from}&to=${month.to}&order=asc&pageSize=500&page=2`);
    expect(second).toMatchObject({ total: 501, hasMore: false });
    expect(second.items).toHaveLength(1);

    const byUnit = await calendar(officer, `&organisationId=${otherUnit}`);
    expect(byUnit).toMatchObject({ total: 201, hasMore: false });
    expect(new Set(byUnit.items.map((item: { organisationId: string }) => item.organisationId))).toEqual(new Set([otherUnit]));
    const mine = await calendar(officer, '&mine=true');
    expect(mine).toMatchObject({ total: 300, hasMore: false });
    expect(new Set(mine.items.map((item: { visitorId: string }) => item.visitorId))).toEqual(new Set([officer.id]));
    const theirs = await calendar(colleague, '&mine=true');
    expect(theirs).toMatchObject({ total: 201, hasMore: false });
    expect(await calendar(colleague, `&mine=true&organisationId=${town}`)).toMatchObject({ total: 0, items: [], hasMore: false });
    expect((await calendar(officer, '&mine=false')).total).toBe(501);
    expect((await calendar(officer, `&visitorId=${colleague.id}`)).total).toBe(201);

    // The access rule is unchanged: another town's officer filtering by our unit sees nothing.
    const elsewhere = await person(['officer'], await makeUnit('330483103', uniqueName('石门镇经发中心')));
    expect(await calendar(elsewhere, `&organisationId=${town}`)).toMatchObject({ total: 0, items: [], hasMore: false });
    expect(await calendar(elsewhere, '&mine=true')).toMatchObject({ total: 0, hasMore: false });

    // Bad values are refused naming the field.
    for (const [query, field] of [['&mine=yes', 'mine'], ['&organisationId=', 'organisationId'], [`&organisationId=${'x'.repeat(65)}`, 'organisationId'], ['&pageSize=501', 'pageSize'], ['&from=2031-02-30', 'from']] as const) {
      const response = await call(officer, 'GET', `/api/visits?order=asc${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().details.map((detail: { field: string }) => detail.field), query).toContain(field);
    }
  });
});
