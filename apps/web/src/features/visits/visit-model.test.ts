import type { VisitListItem } from '@qinqing/contracts';
import { describe, expect, it } from 'vitest';
import { appealPrefill, attendanceRows, calendarRange, groupByDate, isOverdue, toAttendees, toCreatePayload, toFormValues, unitColour, unitsOf } from './visit-model';

const item = (id: string, date: string, organisationId: string | null = 'org-1'): VisitListItem => ({
  id,
  enterpriseId: 'e',
  enterpriseName: '桐乡市崇福皮草有限公司',
  status: 'planned',
  plannedOn: date,
  visitedOn: null,
  date,
  visitorId: 'u',
  visitorName: '陈杰',
  organisationId,
  organisationName: organisationId ? `单位${organisationId}` : null,
  topics: [],
  problemCount: 0,
  appealCount: 0,
  openFollowUps: 0,
});

describe('visit calendar', () => {
  it('gives each unit one stable colour and grey to visits without a unit', () => {
    expect(unitColour('org-1')).toBe(unitColour('org-1'));
    expect(unitColour(null)).toBe('#8c8c8c');
    const colours = new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => unitColour(`unit-${id}`)));
    expect(colours.size).toBeGreaterThan(3);
    expect(unitsOf([item('1', '2026-11-02'), item('2', '2026-11-03'), item('3', '2026-11-03', 'org-2')]).map((unit) => unit.id)).toEqual(['org-1', 'org-2']);
  });

  it('asks for every day a month grid can show, across year ends', () => {
    expect(calendarRange('2026-11')).toEqual({ from: '2026-10-25', to: '2026-12-13' });
    expect(calendarRange('2027-01')).toEqual({ from: '2026-12-25', to: '2027-02-12' });
  });

  it('groups by day and flags plans whose day has passed', () => {
    const days = groupByDate([item('1', '2026-11-02'), item('2', '2026-11-03'), item('3', '2026-11-02')]);
    expect(days.get('2026-11-02')?.map((visit) => visit.id)).toEqual(['1', '3']);
    expect(isOverdue(item('1', '2026-11-02'), '2026-11-03')).toBe(true);
    expect(isOverdue(item('1', '2026-11-03'), '2026-11-03')).toBe(false);
    expect(isOverdue({ status: 'done', date: '2026-11-01' }, '2026-11-03')).toBe(false);
  });
});

describe('visit form', () => {
  it('sends only filled rows, a plan with plannedOn and a record with visitedOn', () => {
    expect(
      toCreatePayload({
        enterpriseId: 'e1',
        status: 'done',
        date: '2026-11-20',
        peopleMet: [{ name: ' 沈建华 ', position: '总经理' }, { name: '' }],
        topics: ['用电', ' '],
        summary: '  ',
        problems: [{ text: '变压器容量不足' }, { text: '' }],
        followUps: [{ text: '联系供电公司', dueOn: '2026-12-01' }, {}],
      }),
    ).toEqual({
      enterpriseId: 'e1',
      status: 'done',
      visitedOn: '2026-11-20',
      peopleMet: [{ name: '沈建华', position: '总经理' }],
      topics: ['用电'],
      summary: null,
      problems: [{ text: '变压器容量不足' }],
      followUps: [{ text: '联系供电公司', dueOn: '2026-12-01', done: false }],
    });
    expect(toCreatePayload({ enterpriseId: 'e1', status: 'planned', date: '2026-12-01' })).toMatchObject({ plannedOn: '2026-12-01' });
  });

  it('keeps item ids when editing and starts a record of a plan without a date', () => {
    const visit = {
      enterpriseId: 'e1',
      status: 'planned',
      plannedOn: '2026-12-01',
      visitedOn: null,
      peopleMet: [],
      topics: ['招工'],
      summary: null,
      problems: [{ id: 'p1', text: '招工难', appealId: 'a1' }],
      followUps: [{ id: 'f1', text: '回访', dueOn: null, done: true, doneAt: 'x' }],
    };
    expect(toFormValues(visit, 'edit')).toMatchObject({ status: 'planned', date: '2026-12-01', problems: [{ id: 'p1', appealId: 'a1' }], followUps: [{ id: 'f1', done: true }] });
    expect(toFormValues(visit, 'record')).toMatchObject({ status: 'done', date: undefined });
    expect(toCreatePayload({ ...toFormValues(visit, 'edit'), status: 'planned' }).problems).toEqual([{ id: 'p1', text: '招工难' }]);
  });

  it('prefills an appeal from a problem: a short title, the full text and where it came from', () => {
    expect(appealPrefill('变压器容量不足。需要增容 800 kVA', '崇福皮草', '走访 2026-11-20')).toEqual({
      title: '变压器容量不足',
      description: '变压器容量不足。需要增容 800 kVA\n\n（走访 2026-11-20，崇福皮草）',
    });
    expect(appealPrefill('很'.repeat(60), 'x', 'y').title).toHaveLength(40);
  });
});

describe('symposium attendance', () => {
  it('lists members unticked, ticks those who came, adds guests, and sends one row per person', () => {
    const rows = attendanceRows(
      [
        { enterpriseId: 'a', enterpriseName: '甲' },
        { enterpriseId: 'b', enterpriseName: '乙' },
      ],
      [
        { enterpriseId: 'a', enterpriseName: '甲', personName: '沈丽' },
        { enterpriseId: 'a', enterpriseName: '甲', personName: '李强' },
        { enterpriseId: 'g', enterpriseName: '丙', personName: '王芳' },
      ],
    );
    expect(rows).toEqual([
      { enterpriseId: 'a', enterpriseName: '甲', isMember: true, attended: true, people: ['沈丽', '李强'] },
      { enterpriseId: 'b', enterpriseName: '乙', isMember: true, attended: false, people: [] },
      { enterpriseId: 'g', enterpriseName: '丙', isMember: false, attended: true, people: ['王芳'] },
    ]);
    const ticked = rows.map((row) => (row.enterpriseId === 'b' ? { ...row, attended: true, people: [' 赵六 ', '赵六'] } : row));
    expect(toAttendees(ticked).attendees).toEqual([
      { enterpriseId: 'a', personName: '沈丽' },
      { enterpriseId: 'a', personName: '李强' },
      { enterpriseId: 'b', personName: '赵六' },
      { enterpriseId: 'g', personName: '王芳' },
    ]);
    expect(toAttendees(rows.map((row) => ({ ...row, attended: true }))).unnamed).toEqual(['乙']);
  });
});
