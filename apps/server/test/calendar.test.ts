import { createRequire } from 'node:module';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncCalendar } from '../src/platform/calendar-sync.js';
import { addCalendarDays, createCalendar, dateOf, dayNumber } from '../src/platform/calendar.js';
import { type Session, type TestApp, createTestApp, dialects, lastAudit, signedIn } from './harness.js';

// The package itself, as an independent oracle for the years it covers (Monday–Friday elsewhere).
const chineseDays = createRequire(import.meta.url)('chinese-days') as { isWorkday(date: string): boolean };

/** Domain rules §4: start, working days, due date. */
const VECTORS = [
  ['2025-09-26', 5, '2025-10-10'],
  ['2025-09-30', 3, '2025-10-11'],
  ['2026-02-12', 5, '2026-02-26'],
  ['2026-04-30', 3, '2026-05-08'],
  ['2025-12-31', 1, '2026-01-04'],
] as const;

describe.each(dialects())('working-day calendar on %s', (dialect) => {
  let t: TestApp;
  let officer: Session;
  let sysadmin: Session;
  let instructor: Session;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    officer = (await signedIn(t, ['officer'])).session;
    sysadmin = (await signedIn(t, ['sysadmin'])).session;
    instructor = (await signedIn(t, ['instructor'])).session;
  });
  afterAll(async () => t?.close());

  const call = (session: Session, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object, extra: Record<string, string> = {}) =>
    t.app.inject({ method, url, payload, headers: { ...session.headers, ...extra } });
  const due = async (session: Session, from: string, days: number) => {
    const response = await call(session, 'GET', `/api/calendar/add-workdays?from=${from}&days=${days}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { date: string; estimated: boolean };
  };

  it.each(VECTORS)('%s + %i working days → %s, not estimated', async (from, days, expected) => {
    expect(await due(instructor, from, days)).toEqual({ date: expected, estimated: false });
  });

  it('a 2027 date is estimated Monday–Friday until its holiday is entered and the year marked known', async () => {
    // 2026-12-31 is a Thursday: +1 → Friday 2027-01-01, +2 → Monday 2027-01-04.
    expect(await due(officer, '2026-12-31', 1)).toEqual({ date: '2027-01-01', estimated: true });
    expect(await due(officer, '2026-12-31', 2)).toEqual({ date: '2027-01-04', estimated: true });
    expect((await call(officer, 'GET', '/api/calendar/days?year=2027')).json()).toEqual({ year: 2027, isKnown: false, source: null, days: [] });

    const entered = await call(officer, 'PUT', '/api/calendar/days/2027-01-01', { isWorkday: false, name: '元旦' });
    expect(entered.statusCode, entered.body).toBe(200);
    expect(entered.json()).toMatchObject({ date: '2027-01-01', isWorkday: false, name: '元旦', source: 'manual', updatedBy: expect.any(String) });
    expect(await lastAudit(t)).toMatchObject({ action: 'calendar.day.set', object_type: 'calendar-day', object_id: '2027-01-01', result: 'success' });
    // The holiday counts at once; the year is still estimated.
    expect(await due(officer, '2026-12-31', 1)).toEqual({ date: '2027-01-04', estimated: true });

    const marked = await call(sysadmin, 'PUT', '/api/calendar/years/2027');
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toMatchObject({ year: 2027, source: 'manual' });
    expect(await lastAudit(t)).toMatchObject({ action: 'calendar.year.confirm', object_id: '2027' });
    expect(await due(officer, '2026-12-31', 1)).toEqual({ date: '2027-01-04', estimated: false });

    const years = (await call(instructor, 'GET', '/api/calendar/years')).json() as Array<{ year: number; source: string }>;
    expect(years.find((y) => y.year === 2027)).toMatchObject({ source: 'manual' });
    expect(years.find((y) => y.year === 2025)).toMatchObject({ source: 'chinese-days' });
    expect(years.map((y) => y.year)).toEqual(expect.arrayContaining([2004, 2026]));
    const days = (await call(instructor, 'GET', '/api/calendar/days?year=2027')).json();
    expect(days).toMatchObject({ year: 2027, isKnown: true, source: 'manual', days: [{ date: '2027-01-01', isWorkday: false, name: '元旦', source: 'manual' }] });
  });

  it("lists a known year's deviations from Monday–Friday only", async () => {
    const response = await call(instructor, 'GET', '/api/calendar/days?year=2025');
    expect(response.statusCode).toBe(200);
    const body = response.json() as { isKnown: boolean; source: string; days: Array<{ date: string; isWorkday: boolean; name: string | null }> };
    expect(body).toMatchObject({ isKnown: true, source: 'chinese-days' });
    const byDate = new Map(body.days.map((day) => [day.date, day]));
    expect(byDate.get('2025-09-28')).toMatchObject({ isWorkday: true, name: '国庆节' });
    expect(byDate.get('2025-10-01')).toMatchObject({ isWorkday: false, name: '国庆节' });
    expect(byDate.get('2025-10-11')).toMatchObject({ isWorkday: true });
    // 2025-10-04 is a Saturday inside the holiday: not a deviation, so no row.
    expect(byDate.has('2025-10-04')).toBe(false);
    for (const day of body.days) expect(day.isWorkday, day.date).toBe(!isWeekday(day.date));
  });

  it('a manual edit survives a re-run of the sync; the sync restores its own rows and is idempotent', async () => {
    // 2024-10-01 is a Tuesday holiday in the package; make it a workday by hand.
    const edited = await call(officer, 'PUT', '/api/calendar/days/2024-10-01', { isWorkday: true, name: '更正' });
    expect(edited.statusCode, edited.body).toBe(200);
    // A package row altered behind the sync's back, and one the package does not have.
    await t.db.updateTable('calendar_days').set({ is_workday: 1 }).where('date', '=', '2024-10-02').execute();
    await t.db.insertInto('calendar_days').values({ date: '2024-11-05', is_workday: 0, name: 'bogus', source: 'chinese-days', updated_at: new Date().toISOString(), updated_by: null }).execute();

    await syncCalendar(t.db);
    const snapshot = await t.db.selectFrom('calendar_days').selectAll().orderBy('date').execute();
    await syncCalendar(t.db);
    expect(await t.db.selectFrom('calendar_days').selectAll().orderBy('date').execute()).toEqual(snapshot);

    const row = (date: string) => t.db.selectFrom('calendar_days').selectAll().where('date', '=', date).executeTakeFirst();
    expect(await row('2024-10-01')).toMatchObject({ is_workday: 1, name: '更正', source: 'manual' });
    expect(await row('2024-10-02')).toMatchObject({ is_workday: 0, source: 'chinese-days' });
    expect(await row('2024-11-05')).toBeUndefined();
    expect(await due(officer, '2024-09-30', 1)).toEqual({ date: '2024-10-01', estimated: false });

    // A manual year survives the sync too.
    expect((await call(officer, 'PUT', '/api/calendar/years/2030')).statusCode).toBe(200);
    await syncCalendar(t.db);
    expect(await t.db.selectFrom('calendar_years').selectAll().where('year', '=', 2030).executeTakeFirst()).toMatchObject({ source: 'manual' });
  });

  it("reverting a day restores the package's value, else Monday–Friday; a value equal to the default needs no row", async () => {
    // 2023-10-02 (Monday) is a package holiday.
    expect((await call(officer, 'PUT', '/api/calendar/days/2023-10-02', { isWorkday: true })).json()).toMatchObject({ isWorkday: true, source: 'manual', name: null });
    const reverted = await call(sysadmin, 'DELETE', '/api/calendar/days/2023-10-02');
    expect(reverted.statusCode, reverted.body).toBe(200);
    expect(reverted.json()).toMatchObject({ date: '2023-10-02', isWorkday: false, name: '国庆节', source: 'chinese-days' });
    expect(await lastAudit(t)).toMatchObject({ action: 'calendar.day.reset', object_id: '2023-10-02' });
    await syncCalendar(t.db);
    expect(await t.db.selectFrom('calendar_days').select(['is_workday', 'source']).where('date', '=', '2023-10-02').executeTakeFirst()).toEqual({ is_workday: 0, source: 'chinese-days' });

    // Setting the package's own weekday holiday back to "workday" must outlast the sync: a manual row with the default value.
    expect((await call(officer, 'PUT', '/api/calendar/days/2023-10-03', { isWorkday: true })).json()).toMatchObject({ source: 'manual' });
    await syncCalendar(t.db);
    expect(await t.db.selectFrom('calendar_days').select('source').where('date', '=', '2023-10-03').executeTakeFirst()).toEqual({ source: 'manual' });

    // A plain date: a holiday is stored, and setting it back to the default removes the row.
    expect((await call(officer, 'PUT', '/api/calendar/days/2023-03-15', { isWorkday: false, name: '停电' })).json()).toMatchObject({ source: 'manual' });
    expect((await call(officer, 'PUT', '/api/calendar/days/2023-03-15', { isWorkday: true })).json()).toMatchObject({ isWorkday: true, source: 'default' });
    expect(await t.db.selectFrom('calendar_days').select('date').where('date', '=', '2023-03-15').executeTakeFirst()).toBeUndefined();
    // Nothing left to revert.
    expect((await call(officer, 'DELETE', '/api/calendar/days/2023-03-15')).statusCode).toBe(404);
    // A weekend workday on a plain date, then reverted to Monday–Friday.
    expect((await call(officer, 'PUT', '/api/calendar/days/2023-03-18', { isWorkday: true, name: '补班' })).statusCode).toBe(200);
    expect((await call(officer, 'DELETE', '/api/calendar/days/2023-03-18')).json()).toMatchObject({ isWorkday: false, source: 'default' });
  });

  it('only manual years can be taken back', async () => {
    expect((await call(officer, 'PUT', '/api/calendar/years/2031')).statusCode).toBe(200);
    expect((await call(officer, 'DELETE', '/api/calendar/years/2031')).statusCode).toBe(204);
    expect(await lastAudit(t)).toMatchObject({ action: 'calendar.year.withdraw', object_id: '2031' });
    expect((await call(officer, 'DELETE', '/api/calendar/years/2031')).statusCode).toBe(404);
    const packaged = await call(officer, 'DELETE', '/api/calendar/years/2025');
    expect(packaged.statusCode).toBe(409);
    expect(packaged.json().message).toContain('随系统提供');
  });

  it('bad input is a 400 naming the field, in Chinese by default and in English on request', async () => {
    const bad = async (query: string, field: string, headers: Record<string, string> = {}) => {
      const response = await call(instructor, 'GET', `/api/calendar/add-workdays?${query}`, undefined, headers);
      expect(response.statusCode, query).toBe(400);
      const body = response.json() as { code: string; message: string; details: Array<{ field: string; message: string }> };
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.details.map((d) => d.field), query).toContain(field);
      return body;
    };
    const zh = await bad('from=2025-02-30&days=3', 'from');
    expect(zh.message).toMatch(/[\u4e00-\u9fff]/);
    expect(zh.details.find((d) => d.field === 'from')!.message).toMatch(/日期/);
    const en = await bad('from=2025-13-01&days=3', 'from', { 'accept-language': 'en-US' });
    expect(en.details.find((d) => d.field === 'from')!.message).toBe('a date YYYY-MM-DD (1900–2999)');
    await bad('from=20250926&days=3', 'from');
    await bad('from=1850-01-01&days=3', 'from');
    await bad('days=3', 'from');
    await bad('from=2025-09-26&days=0', 'days');
    await bad('from=2025-09-26&days=366', 'days');
    await bad('from=2025-09-26&days=1.5', 'days');
    await bad('from=2025-09-26&days=abc', 'days');
    await bad('from=2025-09-26', 'days');

    const badDate = await call(officer, 'PUT', '/api/calendar/days/2025-02-29', { isWorkday: false });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().details[0].field).toBe('date');
    const badBody = await call(officer, 'PUT', '/api/calendar/days/2025-03-03', { isWorkday: 'yes' });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().details[0].field).toBe('isWorkday');
    expect((await call(officer, 'GET', '/api/calendar/days?year=99')).statusCode).toBe(400);
  });

  it('writes need calendar:write (denied as 404) and change nothing', async () => {
    const denied = await call(instructor, 'PUT', '/api/calendar/days/2025-03-03', { isWorkday: false });
    expect(denied.statusCode).toBe(404);
    expect(await t.db.selectFrom('calendar_days').select('date').where('date', '=', '2025-03-03').executeTakeFirst()).toBeUndefined();
  });

  it('works inside another module’s transaction and through a span loaded once', async () => {
    const calendar = createCalendar({ db: t.db });
    await t.db.transaction().execute(async (trx) => {
      await trx.insertInto('calendar_days').values({ date: '2032-06-07', is_workday: 0, name: '测试', source: 'manual', updated_at: new Date().toISOString(), updated_by: null }).execute();
      // The transaction's own uncommitted row is seen.
      expect(await calendar.isWorkday('2032-06-07', trx)).toBe(false);
      expect(await calendar.addWorkdays('2032-06-04', 1, trx)).toEqual({ date: '2032-06-08', estimated: true });
      expect(await calendar.workdaysBetween('2032-06-04', '2032-06-08', trx)).toEqual({ days: 1, estimated: true });
      await trx.deleteFrom('calendar_days').where('date', '=', '2032-06-07').execute();
    });
    expect(await calendar.addWorkdays('2025-10-01', 0)).toEqual({ date: '2025-10-01', estimated: false });
    expect(await calendar.workdaysBetween('2025-10-10', '2025-09-26')).toEqual({ days: 0, estimated: false });
    await expect(calendar.addWorkdays('2025-10-01', -1)).rejects.toThrow(RangeError);

    const span = await calendar.span('2025-09-01', '2026-06-30');
    for (const [from, days, expected] of VECTORS) expect(span.addWorkdays(from, days)).toEqual({ date: expected, estimated: false });
    expect(span.workdaysBetween('2025-09-26', '2025-10-10')).toEqual({ days: 5, estimated: false });
    expect(span.isWorkday('2025-09-28')).toBe(true);
    expect(span.isEstimated('2025-09-28')).toBe(false);
    expect(() => span.addWorkdays('2026-06-29', 10)).toThrow(RangeError);
    expect(() => span.isWorkday('2026-07-01')).toThrow(RangeError);
  });
});

describe.each(dialects())('working-day calendar properties on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  // 2002-01-01 … 2029-12-31: years before, inside and after the package's coverage.
  const anyDate = fc.integer({ min: dayNumber('2002-01-01'), max: dayNumber('2029-12-31') }).map(dateOf);
  const anyDays = fc.integer({ min: 1, max: 365 });

  it('addWorkdays lands on a workday n working days later, agrees with chinese-days and with a span', async () => {
    const calendar = createCalendar({ db: t.db });
    const span = await calendar.span('2002-01-01', '2031-12-31');
    await fc.assert(
      fc.asyncProperty(anyDate, anyDays, async (from, days) => {
        const result = await calendar.addWorkdays(from, days);
        expect(await calendar.isWorkday(result.date)).toBe(true);
        expect(await calendar.workdaysBetween(from, result.date)).toEqual({ days, estimated: result.estimated });
        expect(span.addWorkdays(from, days)).toEqual(result);
        // Walk the package's own answer day by day.
        let date = from;
        for (let left = days; left > 0; ) {
          date = addCalendarDays(date, 1);
          if (chineseDays.isWorkday(date)) left -= 1;
        }
        expect(result.date).toBe(date);
        // The package covers 2004–2026: estimated exactly when the days counted reach outside.
        const firstCounted = addCalendarDays(from, 1);
        expect(result.estimated).toBe(Number(firstCounted.slice(0, 4)) < 2004 || Number(result.date.slice(0, 4)) > 2026);
      }),
      { numRuns: 60 },
    );
  });

  it('workdaysBetween adds up over consecutive stretches', async () => {
    const calendar = createCalendar({ db: t.db });
    await fc.assert(
      fc.asyncProperty(anyDate, fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), async (a, x, y) => {
        const b = addCalendarDays(a, x);
        const c = addCalendarDays(b, y);
        const [ab, bc, ac] = [await calendar.workdaysBetween(a, b), await calendar.workdaysBetween(b, c), await calendar.workdaysBetween(a, c)];
        expect(ab.days + bc.days).toBe(ac.days);
      }),
      { numRuns: 40 },
    );
  });
});

function isWeekday(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday >= 1 && weekday <= 5;
}
