import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp, dialects } from './harness.js';
import { type AppealWorld, type Caller, appealWorld, call, makeUnit, setChinaDay, tokenCaller } from './appeals-fixture.js';

/**
 * The list's part filters (overdue, todo, a unit, activity dates) are SQL over appeal_parts; each answer here is
 * checked against the appeals themselves (their parts as the appeal page shows them), on a town where cases have
 * several parts — overdue, paused, answered, returned, with an extension pending.
 */
interface Part { id: string; organisationId: string; status: string; overdue: boolean; dueDate: string; extensionRequest: unknown }
interface Full { id: string; status: string; parts: Part[]; events: Array<{ partId: string | null; at: string }> }

const chinaDay = (at: string) => new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 10);

describe.each(dialects())('appeal list filters on %s', (dialect) => {
  let t: TestApp;
  let w: AppealWorld;
  let third: Caller;
  const ids: string[] = [];

  async function appeal(title: string) {
    const submitted = await call(t, w.manager, 'POST', '/api/appeals', { enterpriseId: w.enterprise.id, categoryCode: 'utilities', title, description: '多单位会办的诉求' });
    ids.push(submitted.id);
    return submitted;
  }
  const step = (who: Caller, id: string, path: string, body: Record<string, unknown>, version: number) => call(t, who, 'POST', `/api/appeals/${id}${path}`, { version, ...body });
  async function dispatched(title: string, parts: Array<{ organisationId: string; days: number }>) {
    const submitted = await appeal(title);
    await step(w.officer, submitted.id, '/accept', {}, 1);
    const result = await step(w.officer, submitted.id, '/dispatch', { parts }, 2);
    const partOf = (organisationId: string) => result.parts.find((part: Part) => part.organisationId === organisationId).id as string;
    return { id: submitted.id as string, version: 3, partOf };
  }

  beforeAll(async () => {
    t = await createTestApp(dialect);
    setChinaDay(t, '2025-09-26');
    w = await appealWorld(t);
    third = await tokenCaller(t, ['handler'], await makeUnit(t, 'department', null));
    const { power, school, powerHandler, schoolHandler } = w;

    await appeal('待受理的诉求'); // pending
    const accepted = await appeal('已受理未交办');
    await step(w.officer, accepted.id, '/accept', {}, 1);

    // power overdue (not signed), school on time
    await dispatched('供电超期，学校未到期', [{ organisationId: power, days: 1 }, { organisationId: school, days: 20 }]);

    // power signed and paused (not overdue though past its deadline), school answered
    const paused = await dispatched('供电暂停，学校已答复', [{ organisationId: power, days: 1 }, { organisationId: school, days: 1 }]);
    await step(powerHandler, paused.id, `/parts/${paused.partOf(power)}/sign`, {}, 3);
    await step(schoolHandler, paused.id, `/parts/${paused.partOf(school)}/sign`, {}, 4);
    await step(schoolHandler, paused.id, `/parts/${paused.partOf(school)}/answer`, { answer: '已办' }, 5);
    await step(powerHandler, paused.id, `/parts/${paused.partOf(power)}/pause`, { reason: '等待企业材料' }, 6);

    // school signed with an extension pending (and overdue later), power answered, third unit dispatched on time
    const extension = await dispatched('学校申请延期', [{ organisationId: power, days: 1 }, { organisationId: school, days: 1 }, { organisationId: third.organisationId, days: 20 }]);
    await step(schoolHandler, extension.id, `/parts/${extension.partOf(school)}/sign`, {}, 3);
    await step(schoolHandler, extension.id, `/parts/${extension.partOf(school)}/extension`, { days: 3, reason: '需统筹' }, 4);
    await step(powerHandler, extension.id, `/parts/${extension.partOf(power)}/sign`, {}, 5);
    await step(powerHandler, extension.id, `/parts/${extension.partOf(power)}/answer`, { answer: '已办' }, 6);

    // power returned, school answered: the case waits for the enterprise's rating
    const rated = await dispatched('供电退单，学校答复', [{ organisationId: power, days: 1 }, { organisationId: school, days: 1 }]);
    await step(powerHandler, rated.id, `/parts/${rated.partOf(power)}/return`, { reason: '不属于本单位' }, 3);
    await step(schoolHandler, rated.id, `/parts/${rated.partOf(school)}/sign`, {}, 4);
    await step(schoolHandler, rated.id, `/parts/${rated.partOf(school)}/answer`, { answer: '已办' }, 5);

    // power on time and signed, school returned, third overdue and signed
    setChinaDay(t, '2025-10-09');
    const mixed = await dispatched('第三单位超期', [{ organisationId: power, days: 20 }, { organisationId: school, days: 1 }, { organisationId: third.organisationId, days: 1 }]);
    await step(powerHandler, mixed.id, `/parts/${mixed.partOf(power)}/sign`, {}, 3);
    await step(schoolHandler, mixed.id, `/parts/${mixed.partOf(school)}/return`, { reason: '不属于本单位' }, 4);
    await step(third, mixed.id, `/parts/${mixed.partOf(third.organisationId)}/sign`, {}, 5);

    // power signed then withdrawn (撤回交办), school still dispatched: power's steps and deadline no longer count
    const withdrawn = await dispatched('撤回供电的交办', [{ organisationId: power, days: 3 }, { organisationId: school, days: 20 }]);
    await step(powerHandler, withdrawn.id, `/parts/${withdrawn.partOf(power)}/sign`, {}, 3);
    await step(w.officer, withdrawn.id, `/parts/${withdrawn.partOf(power)}/withdraw`, { reason: '交办单位有误' }, 4);

    // power withdrawn in the period, then dispatched to power again after it: power holds the case again
    const again = await dispatched('撤回后再交办供电', [{ organisationId: power, days: 1 }]);
    await step(w.officer, again.id, `/parts/${again.partOf(power)}/withdraw`, { reason: '材料不全' }, 3);

    setChinaDay(t, '2025-10-20');
    await step(w.officer, again.id, '/dispatch', { parts: [{ organisationId: power, days: 20 }] }, 4);
  });
  afterAll(async () => t?.close());

  const list = async (who: Caller, query: string) => {
    const page = await call(t, who, 'GET', `/api/appeals?pageSize=100${query}`);
    expect(page.total).toBe(page.items.length);
    return page.items.map((item: { id: string }) => item.id as string).sort() as string[];
  };
  const visible = async (who: Caller) => Promise.all((await list(who, '')).map((id) => call(t, who, 'GET', `/api/appeals/${id}`) as Promise<Full>));
  const idsOf = (appeals: Full[]) => appeals.map((a) => a.id).sort();
  const open = (part: Part) => part.status === 'dispatched' || part.status === 'signed';

  it('the world mixes overdue, paused, answered and returned parts, several per case', async () => {
    const all = await visible(w.officer);
    expect(idsOf(all)).toEqual([...ids].sort());
    const parts = all.flatMap((a) => a.parts);
    expect(parts.filter((part) => part.overdue).length).toBeGreaterThanOrEqual(3);
    expect(parts.some((part) => open(part) && !part.overdue && part.dueDate < '2025-10-20')).toBe(true); // paused past its deadline
    expect(parts.some((part) => part.status === 'answered')).toBe(true);
    expect(parts.some((part) => part.status === 'returned')).toBe(true);
    expect(parts.some((part) => part.extensionRequest)).toBe(true);
    expect(parts.filter((part) => part.status === 'withdrawn').length).toBe(2);
    // A case where power's only part is withdrawn, and one where power holds another part besides its withdrawn one.
    const withdrawnUnits = (a: Full) => a.parts.filter((part) => part.status === 'withdrawn').map((part) => part.organisationId);
    expect(all.some((a) => withdrawnUnits(a).includes(w.power) && !a.parts.some((part) => part.organisationId === w.power && part.status !== 'withdrawn'))).toBe(true);
    expect(all.some((a) => withdrawnUnits(a).includes(w.power) && a.parts.some((part) => part.organisationId === w.power && part.status !== 'withdrawn'))).toBe(true);
    expect(all.filter((a) => a.parts.length > 1 && a.parts.some((part) => part.overdue) && a.parts.some((part) => !part.overdue)).length).toBeGreaterThanOrEqual(2);
  });

  it('overdue=true / false split what each reader sees by its parts', async () => {
    for (const who of [w.officer, w.leader, w.powerHandler, w.schoolHandler, third, w.manager]) {
      const seen = await visible(who);
      const overdue = idsOf(seen.filter((a) => a.parts.some((part) => part.overdue)));
      expect(await list(who, '&overdue=true')).toEqual(overdue);
      expect(await list(who, '&overdue=false')).toEqual(idsOf(seen).filter((id) => !overdue.includes(id)));
    }
    expect((await list(w.officer, '&overdue=true')).length).toBeGreaterThanOrEqual(3);
  });

  it('todo=true is what waits for each role', async () => {
    const officerSees = await visible(w.officer);
    expect(await list(w.officer, '&todo=true')).toEqual(idsOf(officerSees.filter((a) => ['pending', 'accepted'].includes(a.status) || a.parts.some((part) => part.extensionRequest))));
    expect(await list(w.leader, '&todo=true')).toEqual(idsOf((await visible(w.leader)).filter((a) => a.parts.some((part) => part.overdue))));
    expect(await list(w.manager, '&todo=true')).toEqual(idsOf((await visible(w.manager)).filter((a) => a.status === 'answered')));
    expect(await list(w.supervisor, '&todo=true')).toEqual([]);
    for (const handler of [w.powerHandler, w.schoolHandler, third]) {
      const mine = idsOf((await visible(handler)).filter((a) => a.parts.some((part) => part.organisationId === handler.organisationId && open(part))));
      expect(mine.length).toBeGreaterThan(0);
      expect(await list(handler, '&todo=true')).toEqual(mine);
      // …in the order they are worked: the unit's parts still to sign first.
      const ordered = (await call(t, handler, 'GET', '/api/appeals?todo=true&pageSize=100')).items as Array<{ myPartStatus: string }>;
      const firstSigned = ordered.findIndex((item) => item.myPartStatus !== 'dispatched');
      expect(ordered.slice(firstSigned === -1 ? ordered.length : firstSigned).every((item) => item.myPartStatus !== 'dispatched')).toBe(true);
    }
  });

  it('a unit filter and the activity dates find the cases by their parts, a withdrawn part not counting', async () => {
    const all = await visible(w.officer);
    const unitPart = (unit: string) => (part: Part | undefined) => part?.organisationId === unit && part.status !== 'withdrawn';
    for (const unit of [w.power, w.school, third.organisationId]) {
      expect(await list(w.officer, `&organisationId=${unit}`)).toEqual(idsOf(all.filter((a) => a.parts.some(unitPart(unit)))));
      // A step of the unit in the period, or one of its parts still open whose deadline fell in it.
      const [from, to] = ['2025-10-09', '2025-10-15'];
      const expected = all.filter((a) =>
        a.events.some((event) => unitPart(unit)(a.parts.find((part) => part.id === event.partId)) && chinaDay(event.at) >= from && chinaDay(event.at) <= to) ||
        a.parts.some((part) => part.organisationId === unit && open(part) && part.dueDate >= from && part.dueDate <= to));
      expect(await list(w.officer, `&organisationId=${unit}&dates=activity&from=${from}&to=${to}`)).toEqual(idsOf(expected));
    }
  });
});
