/** Pure helpers of the visit pages: calendar colours and ranges, form ⇄ payload, appeal prefill (tested). */
import type { CreateVisitInput, FollowUp, PersonMet, VisitListItem, VisitProblem } from '@qinqing/contracts';

/** Distinct, readable on white, and not red/orange (kept for warnings and overdue plans). */
const palette = ['#1d5fbf', '#13a8a8', '#389e0d', '#722ed1', '#c41d7f', '#08979c', '#1677ff', '#7cb305', '#531dab', '#d4b106', '#2f54eb', '#006d75'];

/** One colour per unit (单位), the same on every screen and every visit. */
export function unitColour(organisationId: string | null): string {
  if (!organisationId) return '#8c8c8c';
  let hash = 0;
  for (const character of organisationId) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length];
}

/** The units among visits or visitors, once each, in name order: the calendar's legend. */
export function unitsOf(entries: Array<{ organisationId: string | null; organisationName: string | null }>): Array<{ id: string | null; name: string | null; colour: string }> {
  const seen = new Map<string, { id: string | null; name: string | null; colour: string }>();
  for (const entry of entries) {
    const key = entry.organisationId ?? '';
    if (!seen.has(key)) seen.set(key, { id: entry.organisationId, name: entry.organisationName, colour: unitColour(entry.organisationId) });
  }
  return [...seen.values()].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '', 'zh-CN'));
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** The days a month's calendar grid can show (6 weeks, Monday or Sunday first): one request per month. */
export function calendarRange(month: string): { from: string; to: string } {
  const [year, monthNumber] = month.split('-').map(Number);
  const first = new Date(Date.UTC(year, monthNumber - 1, 1));
  const from = new Date(first.getTime() - 7 * 86_400_000);
  const to = new Date(Date.UTC(year, monthNumber - 1, 1 + 42));
  const text = (date: Date) => `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  return { from: text(from), to: text(to) };
}

/** Visits per calendar day, in the order they came. */
export function groupByDate(items: VisitListItem[]): Map<string, VisitListItem[]> {
  const days = new Map<string, VisitListItem[]>();
  for (const item of items) days.set(item.date, [...(days.get(item.date) ?? []), item]);
  return days;
}

/** A plan whose day has passed without a record: shown as overdue (逾期未记录). */
export function isOverdue(visit: Pick<VisitListItem, 'status' | 'date'>, today: string): boolean {
  return visit.status === 'planned' && visit.date < today;
}

/** What "转为诉求" starts from: a title of at most 40 characters cut at the first sentence end, the full text as description. */
export function appealPrefill(text: string, enterpriseName: string, source: string): { title: string; description: string } {
  const clean = text.trim().replace(/\s+/g, ' ');
  const sentence = clean.split(/[。；;！!？?\n]/)[0] || clean;
  const title = sentence.length > 40 ? `${sentence.slice(0, 39)}…` : sentence;
  return { title, description: `${clean}\n\n（${source}，${enterpriseName}）` };
}

export interface VisitFormValues {
  enterpriseId?: string;
  status: 'planned' | 'done';
  date?: string;
  peopleMet?: Array<{ name?: string; position?: string | null }>;
  topics?: string[];
  summary?: string | null;
  problems?: Array<{ id?: string; text?: string; appealId?: string | null }>;
  followUps?: Array<{ id?: string; text?: string; dueOn?: string | null; done?: boolean }>;
}

const filled = (value: string | null | undefined): value is string => Boolean(value && value.trim());

/** The rows a person actually filled, trimmed; empty rows (an added line left blank) are dropped. */
export function toDetails(values: VisitFormValues) {
  return {
    peopleMet: (values.peopleMet ?? []).filter((person) => filled(person.name)).map((person): PersonMet => ({ name: person.name!.trim(), position: filled(person.position) ? person.position.trim() : null })),
    topics: (values.topics ?? []).map((topic) => topic.trim()).filter(Boolean),
    summary: filled(values.summary) ? values.summary.trim() : null,
    problems: (values.problems ?? []).filter((problem) => filled(problem.text)).map((problem) => ({ ...(problem.id ? { id: problem.id } : {}), text: problem.text!.trim() })),
    followUps: (values.followUps ?? [])
      .filter((item) => filled(item.text))
      .map((item) => ({ ...(item.id ? { id: item.id } : {}), text: item.text!.trim(), dueOn: item.dueOn ?? null, done: Boolean(item.done) })),
  };
}

/** A new visit: a plan carries plannedOn, a record visitedOn. */
export function toCreatePayload(values: VisitFormValues): CreateVisitInput {
  const details = toDetails(values);
  return {
    enterpriseId: values.enterpriseId ?? '',
    status: values.status,
    ...(values.status === 'planned' ? { plannedOn: values.date } : { visitedOn: values.date }),
    ...details,
  };
}

/** The form's starting values for an existing visit (edit, or record a plan: then the date starts empty). */
export function toFormValues(visit: { enterpriseId: string; status: string; plannedOn: string | null; visitedOn: string | null; peopleMet: PersonMet[]; topics: string[]; summary: string | null; problems: VisitProblem[]; followUps: FollowUp[] }, mode: 'edit' | 'record'): VisitFormValues {
  return {
    enterpriseId: visit.enterpriseId,
    status: mode === 'record' || visit.status === 'done' ? 'done' : 'planned',
    date: mode === 'record' ? undefined : ((visit.status === 'done' ? visit.visitedOn : visit.plannedOn) ?? undefined),
    peopleMet: visit.peopleMet.map((person) => ({ name: person.name, position: person.position ?? null })),
    topics: visit.topics,
    summary: visit.summary,
    problems: visit.problems.map((problem) => ({ id: problem.id, text: problem.text, appealId: problem.appealId })),
    followUps: visit.followUps.map((item) => ({ id: item.id, text: item.text, dueOn: item.dueOn, done: item.done })),
  };
}

export interface AttendanceRow {
  enterpriseId: string;
  enterpriseName: string;
  isMember: boolean;
  attended: boolean;
  people: string[];
}

/** The check-list: every member enterprise (ticked when someone came) and any guest enterprise that attended. */
export function attendanceRows(members: Array<{ enterpriseId: string; enterpriseName: string }>, attendees: Array<{ enterpriseId: string; enterpriseName: string; personName: string }>): AttendanceRow[] {
  const rows = new Map<string, AttendanceRow>();
  for (const member of members) rows.set(member.enterpriseId, { enterpriseId: member.enterpriseId, enterpriseName: member.enterpriseName, isMember: true, attended: false, people: [] });
  for (const attendee of attendees) {
    const row = rows.get(attendee.enterpriseId) ?? { enterpriseId: attendee.enterpriseId, enterpriseName: attendee.enterpriseName, isMember: false, attended: true, people: [] };
    row.attended = true;
    row.people = [...row.people, attendee.personName];
    rows.set(attendee.enterpriseId, row);
  }
  return [...rows.values()];
}

/** What PUT /attendance takes; a ticked enterprise without a name is reported (a person must be named). */
export function toAttendees(rows: AttendanceRow[]): { attendees: Array<{ enterpriseId: string; personName: string }>; unnamed: string[] } {
  const attendees: Array<{ enterpriseId: string; personName: string }> = [];
  const unnamed: string[] = [];
  for (const row of rows.filter((entry) => entry.attended)) {
    const people = [...new Set(row.people.map((person) => person.trim()).filter(Boolean))];
    if (people.length === 0) unnamed.push(row.enterpriseName);
    for (const personName of people) attendees.push({ enterpriseId: row.enterpriseId, personName });
  }
  return { attendees, unnamed };
}
