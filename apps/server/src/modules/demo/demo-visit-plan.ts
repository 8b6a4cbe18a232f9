// The demo town's year of visits (走访), its two liaison points (企情联络点, in the 中节能 park and at the fur
// association, as in the seed article) and their quarterly symposiums (座谈会). Pure and deterministic like
// demo-appeal-plan.ts, whose script it joins: a visit comes just before the appeal its problem became.

import type { CalendarSpan } from '../../platform/calendar.js';
import { addCalendarDays } from '../../platform/calendar.js';
import { quarterOf } from '@qinqing/contracts';
import type { AppealStep, Story } from './demo-appeal-plan.js';
import { MINUTE, dateOfInstant, instant, workingClock } from './demo-plan-clock.js';
import { type Rng, intBetween, pick, rngFor } from './demo-random.js';
import { parks } from './demo-vocabulary.js';
import type { DemoEnterprise, DemoWorld } from './demo-world.js';

const STREAM_VISITS = 30;

export interface VisitPlan {
  index: number;
  enterpriseIndex: number;
  /** The enterprise's instructor, or one of the officers (0 is the demo `officer`). */
  visitor: { kind: 'instructor' } | { kind: 'officer'; officer: number };
  /** The visit day; a plan made earlier names it as plannedOn. */
  date: string;
  topics: string[];
  summary: string;
  personMet: { name: string; position: string };
  problems: string[];
  followUps: Array<{ text: string; dueOn: string }>;
  /** The appeal its first problem became. */
  appealStory: number | null;
}

export interface LiaisonPointPlan {
  index: number;
  name: string;
  address: string;
  contactName: string;
  contactPhone: string;
  members: number[];
}

export interface SymposiumPlan {
  index: number;
  point: number;
  heldOn: string;
  topic: string;
  location: string;
  notes: string;
  attendees: Array<{ enterpriseIndex: number; personName: string }>;
  suggestions: Array<{ enterpriseIndex: number | null; text: string }>;
  /** The appeal the first suggestion became. */
  appealStory: number | null;
}

export type VisitStep =
  | { do: 'visit'; visit: number; at: number; story: -1 }
  | { do: 'planVisit'; visit: number; at: number; story: -1 }
  | { do: 'recordVisit'; visit: number; at: number; story: -1 }
  | { do: 'cancelVisit'; visit: number; reason: string; at: number; story: -1 }
  | { do: 'linkVisit'; visit: number; at: number; story: number }
  | { do: 'liaisonPoint'; point: number; at: number; story: -1 }
  | { do: 'symposium'; symposium: number; at: number; story: -1 }
  | { do: 'attendance'; symposium: number; at: number; story: -1 }
  | { do: 'linkSuggestion'; symposium: number; at: number; story: number };

/** About 0.22 visits a year per enterprise (≈ 200 for the town's 929), at most 2,000. */
export function visitCountFor(enterprises: number): number {
  return Math.min(2000, Math.round(enterprises * 0.22));
}

/**
 * The two liaison points of the seed article and their members: the 中节能 park's enterprises, and the fur trade's
 * larger firms (at most 40 each, operating ones, in index order so the list does not depend on anything else).
 */
export function liaisonPointsOf(world: DemoWorld): LiaisonPointPlan[] {
  const cecep: number[] = [];
  const fur: number[] = [];
  for (let index = 0; index < world.enterpriseCount && (cecep.length < 40 || fur.length < 40); index++) {
    const enterprise = world.enterprise(index);
    if (enterprise.status !== 'operating') continue;
    if (enterprise.park === parks.cecep && cecep.length < 40) cecep.push(index);
    else if (enterprise.sector === 'fur' && (enterprise.revenue ?? 0) >= 1000 && fur.length < 40) fur.push(index);
  }
  const points: LiaisonPointPlan[] = [
    { index: 0, name: '中节能产业园企情联络点', address: '桐乡市崇福镇中节能（桐乡）产业园综合服务楼一楼', contactName: '中节能产业园 蒋卫东', contactPhone: '13905731201', members: cecep },
    { index: 1, name: '崇福皮毛协会企情联络点', address: '桐乡市崇福镇皮草城路88号皮毛协会三楼', contactName: '皮毛协会 费国强', contactPhone: '13905731202', members: fur },
  ];
  return points.filter((point) => point.members.length > 0).map((point, index) => ({ ...point, index }));
}

/**
 * Four quarterly symposiums in the year before today, one in each of the last four quarters (mid-quarter, or the
 * nearest working day within the year), at the points in turn.
 */
export function symposiumDaysOf(today: string, span: CalendarSpan): string[] {
  const firstDay = addCalendarDays(today, -365);
  const days: string[] = [];
  for (let k = 3; k >= 0; k--) {
    const inQuarter = addCalendarDays(today, -40 - 91 * k);
    const quarter = Math.floor((Number(inQuarter.slice(5, 7)) - 1) / 3);
    let day = `${inQuarter.slice(0, 4)}-${String(quarter * 3 + 2).padStart(2, '0')}-14`;
    if (day >= today) day = addCalendarDays(today, -3);
    if (day <= firstDay) day = addCalendarDays(firstDay, 7);
    while (!span.isWorkday(day)) day = addCalendarDays(day, day > addCalendarDays(today, -10) ? -1 : 1);
    days.push(day);
  }
  return days;
}

const topicsPool = ['生产经营', '项目推进', '用工需求', '融资需求', '政策宣传', '安全生产', '外贸出口', '亩均效益', '技改投资', '企业诉求回访'];
const outlooks = ['订单饱满，排产已到下季度', '生产经营平稳', '订单较上年略有下降', '新产品试产顺利', '外贸订单有所回升'];
const plans = ['计划年内完成一条智能化生产线改造', '准备申报科技型中小企业', '考虑扩大厂房面积', '正在开拓国内电商渠道', '计划引进两台新设备'];
const looseProblems = ['希望多组织几场用工招聘活动', '希望政策申报流程再简化一些', '厂区周边公交班次偏少，员工通勤不便', '希望了解最新的亩均评价办法', '希望多开展安全生产培训'];
const followUpTexts = ['跟踪企业技改项目进度', '下月回访用工情况', '协助对接银行融资产品', '推送最新政策申报通知'];

/**
 * Visits of the year: one just before each appeal an instructor raised after a visit, and as many more as the
 * count allows spread over the working days (some planned a few days ahead first, two cancelled, three still
 * planned for the demo `instructor`); the liaison points set up in the first week; the symposiums with their
 * attendance and a suggestion that became an appeal.
 */
export function planVisitYear(world: DemoWorld, stories: readonly Story[], appealSteps: readonly AppealStep[], count: number, end: Date, span: CalendarSpan) {
  const endAt = end.getTime();
  const today = dateOfInstant(endAt);
  const firstDay = addCalendarDays(today, -365);
  const visits: VisitPlan[] = [];
  const steps: VisitStep[] = [];
  const { workdayFrom, onWorkday } = workingClock(span);
  const at = (date: string, rng: Rng) => onWorkday(date, rng, 9 * 60, 16 * 60 + 30);

  function newVisit(rng: Rng, enterprise: DemoEnterprise, date: string, visitor: VisitPlan['visitor'], problems: string[], appealStory: number | null): VisitPlan {
    const contact = enterprise.contacts[enterprise.contacts.length > 1 && rng() < 0.5 ? 1 : 0];
    const topics = [...new Set([pick(rng, topicsPool), pick(rng, topicsPool)])].slice(0, intBetween(rng, 1, 2));
    const followUps = rng() < 0.35 ? [{ text: pick(rng, followUpTexts), dueOn: addCalendarDays(date, intBetween(rng, 7, 30)) }] : [];
    const visit: VisitPlan = {
      index: visits.length,
      enterpriseIndex: enterprise.index,
      visitor,
      date,
      topics,
      summary: `与${contact.title}${contact.name}座谈，了解企业生产经营情况：${pick(rng, outlooks)}，${pick(rng, plans)}。${problems.length ? '企业反映了困难问题，已记录。' : '企业暂无困难问题。'}`,
      personMet: { name: contact.name, position: contact.title },
      problems,
      followUps,
      appealStory,
    };
    visits.push(visit);
    return visit;
  }

  // The visits that raised the appeals of the script (channel 'visit'): the same day, an hour or so before.
  const submitted = new Map<number, number>();
  for (const step of appealSteps) if (step.do === 'submit') submitted.set(step.story, step.at);
  for (const story of stories) {
    const submittedAt = submitted.get(story.index);
    if (story.channel !== 'visit' || submittedAt === undefined) continue;
    const rng = rngFor(world.seed, STREAM_VISITS, story.index);
    const date = dateOfInstant(submittedAt);
    const extra = rng() < 0.3 ? [pick(rng, looseProblems)] : [];
    const visit = newVisit(rng, world.enterprise(story.enterpriseIndex), date, { kind: 'instructor' }, [story.title, ...extra], story.index);
    steps.push({ do: 'visit', visit: visit.index, at: Math.max(instant(date, 8 * 60 + 30), submittedAt - intBetween(rng, 20, 90) * MINUTE), story: -1 });
    steps.push({ do: 'linkVisit', visit: visit.index, at: submittedAt + MINUTE, story: story.index });
  }

  // More visits over the year, to enterprises of every kind.
  const more = Math.max(0, count - visits.length);
  for (let k = 0; k < more; k++) {
    const rng = rngFor(world.seed, STREAM_VISITS + 1, k);
    const enterprise = world.enterprise(k === 0 ? 0 : intBetween(rng, 0, world.enterpriseCount - 1));
    if (enterprise.status === 'deregistered') continue;
    const date = workdayFrom(addCalendarDays(today, -intBetween(rng, 2, 360)));
    if (date >= today) continue;
    const visitor: VisitPlan['visitor'] = rng() < 0.7 ? { kind: 'instructor' } : { kind: 'officer', officer: rng() < 0.6 ? 0 : intBetween(rng, 1, 2) };
    const visit = newVisit(rng, enterprise, date, visitor, rng() < 0.25 ? [pick(rng, looseProblems)] : [], null);
    const visitedAt = at(date, rng);
    if (rng() < 0.2) {
      // Planned a few working days ahead, then recorded on the day; now and then the plan falls through.
      const plannedAt = at(addCalendarDays(date, -intBetween(rng, 3, 8)), rng);
      if (plannedAt <= instant(firstDay, 0) || plannedAt >= visitedAt - 4 * 60 * MINUTE) continue;
      steps.push({ do: 'planVisit', visit: visit.index, at: plannedAt, story: -1 });
      if (k % 40 === 7) steps.push({ do: 'cancelVisit', visit: visit.index, reason: pick(rng, ['企业负责人临时出差', '企业临时接待客户', '改为电话回访']), at: visitedAt - 3 * 60 * MINUTE, story: -1 });
      else steps.push({ do: 'recordVisit', visit: visit.index, at: visitedAt, story: -1 });
    } else {
      steps.push({ do: 'visit', visit: visit.index, at: visitedAt, story: -1 });
    }
  }

  // The demo `instructor` has the next days planned (its enterprises: instructorOf = 0).
  const own: number[] = [];
  for (let index = 0; index < world.enterpriseCount && own.length < 3; index++) if (world.instructorOf(index) === 0 && world.enterprise(index).status === 'operating') own.push(index);
  own.forEach((index, k) => {
    const rng = rngFor(world.seed, STREAM_VISITS + 2, k);
    const visit = newVisit(rng, world.enterprise(index), span.addWorkdays(today, 1 + 2 * k).date, { kind: 'instructor' }, [], null);
    steps.push({ do: 'planVisit', visit: visit.index, at: endAt - (3 - k) * 60 * MINUTE, story: -1 });
  });

  // The liaison points, set up in the first week; their symposiums, with attendance and suggestions.
  const points = liaisonPointsOf(world);
  const symposiums: SymposiumPlan[] = [];
  if (points.length > 0) {
    const opening = workdayFrom(addCalendarDays(firstDay, 3));
    points.forEach((point, k) => steps.push({ do: 'liaisonPoint', point: point.index, at: instant(opening, 10 * 60 + 30 * k), story: -1 }));
    const symposiumStories = stories.filter((story) => story.symposium !== undefined);
    symposiumDaysOf(today, span).forEach((heldOn, k) => {
      const rng = rngFor(world.seed, STREAM_VISITS + 3, k);
      const point = points[k % points.length];
      const attending = point.members.filter(() => rng() < 0.4).slice(0, 15);
      const story = symposiumStories.find((candidate) => candidate.symposium === k);
      if (story && !attending.includes(story.enterpriseIndex)) attending.unshift(story.enterpriseIndex);
      const symposium: SymposiumPlan = {
        index: k,
        point: point.index,
        heldOn,
        topic: `${quarterOf(heldOn).replace('Q', '年第')}季度企业发展形势座谈会`,
        location: point.address,
        notes: `镇分管领导和经发中心、自然资源、税务、供电等部门负责人参加，${attending.length}家企业负责人介绍了生产经营情况和困难。`,
        attendees: attending.map((index) => ({ enterpriseIndex: index, personName: world.enterprise(index).contacts[0].name })),
        suggestions: [
          ...(story ? [{ enterpriseIndex: story.enterpriseIndex, text: story.title }] : []),
          { enterpriseIndex: attending[1] ?? null, text: pick(rng, looseProblems) },
          { enterpriseIndex: null, text: pick(rng, ['建议定期组织政银企对接会', '建议园区增设员工通勤班车', '建议加大技改补助力度']) },
        ],
        appealStory: story?.index ?? null,
      };
      symposiums.push(symposium);
      const startsAt = instant(heldOn, 16 * 60 + 30);
      steps.push({ do: 'symposium', symposium: k, at: startsAt, story: -1 });
      steps.push({ do: 'attendance', symposium: k, at: startsAt + 10 * MINUTE, story: -1 });
      const appealAt = story ? submitted.get(story.index) : undefined;
      if (story && appealAt !== undefined) steps.push({ do: 'linkSuggestion', symposium: k, at: appealAt + MINUTE, story: story.index });
    });
  }

  return { visits, points, symposiums, steps: steps.filter((step) => step.at <= endAt) };
}
