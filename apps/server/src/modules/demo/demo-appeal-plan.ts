// The script of the demo town's year of appeals: who does what, when. Pure and deterministic — the same seed, end
// date and calendar give the same script — so demo-appeals.ts only has to play it through the appeals service.
// Times are epoch milliseconds; deadlines are planned on the same working-day calendar the service uses, so an
// answer planned "on time" is on time for the service too.

import type { AppealRating } from '@qinqing/contracts';
import type { CalendarSpan } from '../../platform/calendar.js';
import { addCalendarDays } from '../../platform/calendar.js';
import { chinaDate } from '../appeals/appeal-rules.js';
import { type AppealTemplate, type CategoryCode, type UnitKey, appealTemplates, declinedMatters, ratingComments, unitShort } from './demo-appeal-templates.js';
import { type Rng, intBetween, pick, rngFor, weightedPicker } from './demo-random.js';
import { HOUR, MINUTE, dateOfInstant, historyStartsAt, instant, workingClock } from './demo-plan-clock.js';
import { type LiaisonPointPlan, type SymposiumPlan, type VisitPlan, type VisitStep, liaisonPointsOf, planVisitYear, symposiumDaysOf } from './demo-visit-plan.js';
import type { DemoEnterprise, DemoWorld } from './demo-world.js';

export interface PlanOptions {
  appeals: number;
  visits: number;
  /** The load's "now": the played year ends here. */
  end: Date;
  /** The working-day calendar from planSpan(end). */
  span: CalendarSpan;
  /** Time limits in working days by category, as the database holds them (the service counts with the same). */
  limits: Readonly<Record<string, number>>;
}

/**
 * How an appeal reached the town: the enterprise on the web, an instructor after a visit, a call to the hotline,
 * a suggestion at a liaison point's symposium.
 */
export type Channel = 'web' | 'visit' | 'hotline' | 'symposium';

export interface Story {
  index: number;
  enterpriseIndex: number;
  category: CategoryCode;
  title: string;
  description: string;
  urgency: 'normal' | 'urgent';
  channel: Channel;
  /** Which of the enterprise's managers submits (web) and rates; null: the demo `enterprise` account. */
  managerPick: number | null;
  /** Who gives the rating: the enterprise itself, or an officer on a return call (回访). */
  rater: 'enterprise' | 'callback';
  /** The symposium (by number) where it was raised. */
  symposium?: number;
}

export interface PlannedPart {
  unit: UnitKey;
  part: string | null;
  days: number | null;
  isLead: boolean;
}

/** Officers by number: 0 is the demo `officer`, 1 and 2 the generated officer02, officer03. */
type StepAction =
  | { do: 'submit' }
  | { do: 'accept'; officer: number }
  | { do: 'decline'; officer: number; reason: string }
  | { do: 'merge'; officer: number; into: number }
  | { do: 'dispatch'; officer: number; parts: PlannedPart[] }
  | { do: 'sign'; unit: UnitKey }
  | { do: 'return'; unit: UnitKey; reason: string }
  | { do: 'pause'; unit: UnitKey; reason: string }
  | { do: 'resume'; unit: UnitKey }
  | { do: 'requestExtension'; unit: UnitKey; days: number; reason: string }
  | { do: 'decideExtension'; officer: number; unit: UnitKey; approve: boolean; comment: string | null }
  | { do: 'answer'; unit: UnitKey; answer: string }
  | { do: 'rate'; officer: number; rating: AppealRating; comment: string | null }
  | { do: 'urge'; officer: number; message: string }
  | { do: 'supervise'; instruction: string }
  | { do: 'archive'; officer: number };

export type AppealStep = ({ story: number } & StepAction & { at: number }) | { do: 'sweep'; at: number; story: -1 };
export type Step = AppealStep | VisitStep;

export interface AppealPlan {
  stories: Story[];
  /** Appeals and visits in the order to play them: by time, then by the order they were planned. */
  steps: Step[];
  /** When the platform went live: the enterprises and accounts are created then. */
  startsAt: number;
  visits: VisitPlan[];
  points: LiaisonPointPlan[];
  symposiums: SymposiumPlan[];
}

const STREAM_APPEALS = 20;

/**
 * Plan `count` appeals over the year that ends at `end`: about nine in ten ordinary cases of every kind, a few
 * declined, merged, returned, paused, extended, late, rated 不满意 and redone, supervised by the leader; and a
 * handful pinned to the last working days so that every role finds work waiting today.
 */
export function planAppealYear(world: DemoWorld, options: PlanOptions): AppealPlan {
  const { appeals: count, visits: visitCount, end, span } = options;
  const limitOf = (category: CategoryCode) => {
    const days = options.limits[category];
    if (!days) throw new Error(`no time limit for the appeal category ${category}`);
    return days;
  };
  const endAt = end.getTime();
  const today = chinaDate(end);
  const firstDay = addCalendarDays(today, -365);
  const startsAt = historyStartsAt(end).getTime();
  const stories: Story[] = [];
  const steps: Array<AppealStep & { order: number }> = [];
  let order = 0;

  const { plusWorkdays, workdaysBetween, office, later, onWorkday, whenAwake } = workingClock(span);
  // Working days before today, most recent first: the pinned cases hang off them.
  const recent: string[] = [];
  for (let day = addCalendarDays(today, -1); recent.length < 25; day = addCalendarDays(day, -1)) if (span.isWorkday(day)) recent.push(day);
  const W = (k: number) => recent[k];

  function add(story: number, at: number, action: StepAction) {
    steps.push({ ...action, story, at, order: order++ } as AppealStep & { order: number });
  }

  // ── who and what ────────────────────────────────────────────────────────────────────────────────────────────
  const pickOfficer = (rng: Rng) => (rng() < 0.6 ? 0 : rng() < 0.5 ? 1 : 2);
  const byKey = new Map(appealTemplates.map((template) => [template.key, template]));
  const usable = (enterprise: DemoEnterprise) => enterprise.status === 'operating' || (enterprise.status === 'suspended' && enterprise.index % 5 === 0);

  function pickEnterprise(rng: Rng, fits?: (enterprise: DemoEnterprise) => boolean): DemoEnterprise | null {
    for (let attempt = 0; attempt < 40; attempt++) {
      const candidate = world.enterprise(intBetween(rng, 0, world.enterpriseCount - 1));
      // Larger firms raise more appeals: they build, export and hire more.
      if (!usable(candidate) || rng() > ((candidate.revenue ?? 0) >= 2000 ? 1 : 0.45)) continue;
      if (!fits || fits(candidate)) return candidate;
    }
    return null;
  }

  function newStory(rng: Rng, enterprise: DemoEnterprise, template: { category: CategoryCode; urgent?: number }, text: { title: string; description: string }, channel: Channel, forceDemoAccount = false): Story {
    const lead = { visit: '驻企走访时企业反映：', hotline: '企业来电反映：', symposium: '企情联络点座谈会上企业反映：', web: '' }[channel];
    const story: Story = {
      index: stories.length,
      enterpriseIndex: enterprise.index,
      category: template.category,
      title: text.title,
      description: lead + text.description,
      urgency: rng() < (template.urgent ?? 0.05) ? 'urgent' : 'normal',
      channel,
      managerPick: forceDemoAccount ? null : intBetween(rng, 0, 1_000_000),
      rater: channel === 'web' ? 'enterprise' : 'callback',
    };
    stories.push(story);
    return story;
  }

  function submitTime(rng: Rng, channel: Channel, date: string): number {
    if (channel === 'web') return whenAwake(instant(date, intBetween(rng, 7 * 60, 23 * 60)), rng);
    return onWorkday(date, rng);
  }
  const pickChannel = (rng: Rng): Channel => (rng() < 0.5 ? 'web' : rng() < 0.6 ? 'visit' : 'hotline');

  // ── one case's life ─────────────────────────────────────────────────────────────────────────────────────────

  interface Fate {
    returned: boolean;
    joint: boolean;
    pause: boolean;
    extension: boolean;
    late: boolean;
    dissatisfied: boolean;
    supervised: boolean;
    archived: boolean;
  }

  function drawFate(rng: Rng, template: AppealTemplate): Fate {
    return {
      returned: !!template.wrong && rng() < 0.25,
      joint: !!template.joint && rng() < template.joint.chance,
      pause: rng() < 0.08,
      extension: rng() < (template.extension ? 0.2 : 0.03),
      late: rng() < 0.1,
      dissatisfied: rng() < 0.05,
      supervised: rng() < 0.01,
      archived: rng() < 0.75,
    };
  }

  /** A unit's part from dispatch to answer; returns the answer's instant (or +∞ when it is left open). */
  function planPart(storyIndex: number, rng: Rng, template: AppealTemplate, part: PlannedPart, dispatchedAt: number, fate: Fate, options: { leaveOpen?: boolean } = {}) {
    const days = part.days ?? limitOf(template.category);
    let due = plusWorkdays(dateOfInstant(dispatchedAt), days);
    const signedAt = later(dispatchedAt, rng, 15, 20 * 60);
    add(storyIndex, signedAt, { do: 'sign', unit: part.unit });
    let earliest = signedAt + 20 * MINUTE;
    if (part.isLead && fate.pause) {
      const pauseDay = plusWorkdays(dateOfInstant(signedAt), 1);
      const waited = intBetween(rng, 2, 5);
      const resumeDay = plusWorkdays(pauseDay, waited);
      add(storyIndex, onWorkday(pauseDay, rng, 9 * 60, 11 * 60), { do: 'pause', unit: part.unit, reason: template.pause ?? '等待企业补充相关材料' });
      const resumedAt = onWorkday(resumeDay, rng, 9 * 60, 11 * 60);
      add(storyIndex, resumedAt, { do: 'resume', unit: part.unit });
      due = plusWorkdays(due, workdaysBetween(pauseDay, resumeDay));
      earliest = resumedAt + 30 * MINUTE;
    } else if (part.isLead && fate.extension) {
      // Asked on the day before the deadline, or the day after signing when the limit is short.
      const askDay = dateOfInstant(Math.max(signedAt + 20 * HOUR, instant(due, 0) - 20 * HOUR));
      const askedAt = onWorkday(askDay > due ? due : askDay, rng, 9 * 60, 12 * 60);
      if (askedAt > earliest) {
        const extra = pick(rng, [5, 10, 15]);
        add(storyIndex, askedAt, { do: 'requestExtension', unit: part.unit, days: extra, reason: template.extension ?? '需协调多个部门，申请延期办理' });
        const decidedAt = later(askedAt, rng, 40, 6 * 60);
        const approve = rng() < 0.85;
        add(storyIndex, decidedAt, { do: 'decideExtension', officer: pickOfficer(rng), unit: part.unit, approve, comment: approve ? null : '请按原期限办结' });
        if (approve) due = plusWorkdays(due, extra);
        earliest = decidedAt + 30 * MINUTE;
      }
    }
    if (options.leaveOpen) return { answeredAt: Infinity, due };
    const from = dateOfInstant(earliest);
    let answerDay: string;
    if (fate.late && part.isLead) answerDay = plusWorkdays(due, intBetween(rng, 1, 9));
    else {
      const window = Math.max(0, workdaysBetween(from, due));
      answerDay = plusWorkdays(from, Math.floor(window * (0.2 + 0.8 * rng())));
    }
    const answeredAt = office(Math.max(onWorkday(answerDay, rng, 9 * 60, 17 * 60 + 20), earliest), rng);
    const answers = template.answers[part.unit] ?? ['已办理完毕，并电话告知企业。'];
    add(storyIndex, answeredAt, { do: 'answer', unit: part.unit, answer: pick(rng, answers) });
    return { answeredAt, due };
  }

  function rateAt(story: Story, rng: Rng, after: number) {
    return story.rater === 'enterprise' ? whenAwake(after + intBetween(rng, 90, 72 * 60) * MINUTE, rng) : later(after, rng, 120, 36 * 60);
  }

  function drawRating(rng: Rng, late: boolean): AppealRating {
    const draw = rng();
    if (late) return draw < 0.55 ? 'satisfied' : 'basically_satisfied';
    return draw < 0.86 ? 'satisfied' : 'basically_satisfied';
  }
  const comment = (rng: Rng, rating: AppealRating) => (rng() < 0.6 ? pick(rng, ratingComments[rating]) : null);

  /** An ordinary case from submission to archive (cut wherever "now" falls). */
  function planCase(story: Story, rng: Rng, template: AppealTemplate, submittedAt: number, fate: Fate) {
    const i = story.index;
    add(i, submittedAt, { do: 'submit' });
    const officer = pickOfficer(rng);
    const acceptedAt = later(submittedAt, rng, 20, 4 * 60);
    add(i, acceptedAt, { do: 'accept', officer });
    let dispatchedAt = rng() < 0.8 ? later(acceptedAt, rng, 10, 90) : onWorkday(plusWorkdays(dateOfInstant(acceptedAt), 1), rng, 9 * 60, 11 * 60);
    const parts: PlannedPart[] = [{ unit: template.lead, part: fate.joint ? (template.leadPart ?? null) : null, days: null, isLead: true }];
    if (fate.joint && template.joint) parts.push({ unit: template.joint.unit, part: template.joint.part, days: limitOf(template.category) + 2, isLead: false });
    if (fate.returned && template.wrong) {
      add(i, dispatchedAt, { do: 'dispatch', officer, parts: [{ unit: template.wrong.unit, part: null, days: null, isLead: true }] });
      const returnedAt = later(dispatchedAt, rng, 60, 8 * 60);
      add(i, returnedAt, { do: 'return', unit: template.wrong.unit, reason: template.wrong.reason });
      dispatchedAt = later(returnedAt, rng, 30, 6 * 60);
    }
    add(i, dispatchedAt, { do: 'dispatch', officer, parts });
    const planned = parts.map((part) => ({ part, ...planPart(i, rng, template, part, dispatchedAt, fate) }));
    const answeredAt = Math.max(...planned.map((entry) => entry.answeredAt));
    const firstAnswer = Math.min(...planned.map((entry) => entry.answeredAt));

    // The leader's 督办: on a late case two working days past its deadline, or on a sensitive one early.
    if ((fate.late && rng() < 0.2) || fate.supervised) {
      const at = fate.late ? onWorkday(plusWorkdays(planned[0].due, 2), rng, 9 * 60, 11 * 60) : later(dispatchedAt, rng, 60, 20 * 60);
      if (at < firstAnswer - HOUR) add(i, at, { do: 'supervise', instruction: `请${unitShort[template.lead]}加快办理，${intBetween(rng, 2, 5)}个工作日内向企业反馈结果。` });
    }
    if (story.urgency === 'urgent' && rng() < 0.3) {
      const at = later(dispatchedAt, rng, 20 * 60, 30 * 60);
      if (at < firstAnswer - HOUR) add(i, at, { do: 'urge', officer, message: '企业较急，请优先办理' });
    }

    let ratedAt = rateAt(story, rng, answeredAt);
    let rating: AppealRating = fate.dissatisfied ? 'dissatisfied' : drawRating(rng, fate.late);
    add(i, ratedAt, { do: 'rate', officer: pickOfficer(rng), rating, comment: comment(rng, rating) });
    if (rating === 'dissatisfied') {
      // 重办: every answered part is reopened with its own time limit from the rating day.
      const redoDay = dateOfInstant(ratedAt);
      let again = ratedAt;
      for (const { part } of planned) {
        const days = part.days ?? limitOf(template.category);
        const at = office(Math.max(onWorkday(plusWorkdays(redoDay, Math.ceil(days * 0.6)), rng), ratedAt + HOUR), rng);
        add(i, at, { do: 'answer', unit: part.unit, answer: `重办：${pick(rng, template.answers[part.unit] ?? ['已再次协调办理完毕。'])}` });
        again = Math.max(again, at);
      }
      ratedAt = rateAt(story, rng, again);
      rating = rng() < 0.6 ? 'satisfied' : 'basically_satisfied';
      add(i, ratedAt, { do: 'rate', officer: pickOfficer(rng), rating, comment: comment(rng, rating) });
    }
    if (fate.archived) add(i, office(ratedAt + intBetween(rng, 5, 40) * 24 * HOUR, rng), { do: 'archive', officer });
  }

  function planDeclined(rng: Rng, date: string) {
    const matter = pick(rng, declinedMatters);
    const enterprise = pickEnterprise(rng);
    if (!enterprise) return;
    const channel = pickChannel(rng);
    const story = newStory(rng, enterprise, { category: matter.category }, matter, channel);
    const submittedAt = submitTime(rng, channel, date);
    add(story.index, submittedAt, { do: 'submit' });
    const officer = pickOfficer(rng);
    const declinedAt = later(submittedAt, rng, 30, 8 * 60);
    add(story.index, declinedAt, { do: 'decline', officer, reason: matter.reason });
    if (rng() < 0.6) add(story.index, office(declinedAt + intBetween(rng, 3, 20) * 24 * HOUR, rng), { do: 'archive', officer });
  }

  // ── the pinned cases: work waiting for every role today ─────────────────────────────────────────────────────

  const pinned: Array<(rng: Rng) => void> = [];
  function pin(templateKey: string, channel: Channel, enterprise: DemoEnterprise | null, play: (story: Story, rng: Rng, template: AppealTemplate) => void, forceDemoAccount = false) {
    pinned.push((rng) => {
      const template = byKey.get(templateKey)!;
      const chosen = enterprise ?? pickEnterprise(rng, template.fits) ?? pickEnterprise(rng);
      if (!chosen) return;
      play(newStory(rng, chosen, template, template.text(chosen, rng, Number(today.slice(5, 7))), channel, forceDemoAccount), rng, template);
    });
  }
  const noFate: Fate = { returned: false, joint: false, pause: false, extension: false, late: false, dissatisfied: false, supervised: false, archived: false };
  const lead = (template: AppealTemplate, days: number | null = null): PlannedPart => ({ unit: template.lead, part: null, days, isLead: true });
  /** Submitted, accepted and dispatched on the given working days; returns the dispatch instant. */
  function opened(story: Story, rng: Rng, submitDay: string, dispatchDay: string, parts: PlannedPart[]) {
    add(story.index, onWorkday(submitDay, rng, 9 * 60, 10 * 60), { do: 'submit' });
    add(story.index, onWorkday(submitDay, rng, 10 * 60 + 30, 11 * 60 + 30), { do: 'accept', officer: 0 });
    const at = onWorkday(dispatchDay, rng, 14 * 60, 15 * 60);
    add(story.index, at, { do: 'dispatch', officer: 0, parts });
    return at;
  }
  const demoEnterprise = world.enterprise(0);

  // The power station's demo `handler` has three cases to sign for (one a joint case with 自然资源所).
  pin('power-capacity', 'web', null, (story, rng, template) => void opened(story, rng, W(3), W(2), [lead(template)]));
  pin('power-line', 'visit', null, (story, rng, template) => {
    const at = opened(story, rng, W(1), W(0), [{ ...lead(template), part: template.leadPart! }, { unit: 'land', part: template.joint!.part, days: 9, isLead: false }]);
    add(story.index, later(at, rng, 40, 90), { do: 'sign', unit: 'land' });
  });
  pin('power-outage', 'hotline', null, (story, rng, template) => void opened(story, rng, W(0), W(0), [lead(template)]));
  // Two new ones for the officer to accept, one to dispatch, one the unit sent back to re-dispatch.
  for (const key of ['gas', 'loan']) {
    pin(key, 'web', null, (story, rng) => add(story.index, instant(W(0), 19 * 60 + intBetween(rng, 0, 180)), { do: 'submit' }));
  }
  pin('recruitment', 'visit', null, (story, rng) => {
    add(story.index, onWorkday(W(0), rng, 9 * 60, 11 * 60), { do: 'submit' });
    add(story.index, onWorkday(W(0), rng, 16 * 60, 17 * 60), { do: 'accept', officer: 0 });
  });
  pin('land-quota', 'web', null, (story, rng, template) => {
    opened(story, rng, W(4), W(3), [{ unit: template.wrong!.unit, part: null, days: null, isLead: true }]);
    add(story.index, onWorkday(W(0), rng, 10 * 60, 11 * 60), { do: 'return', unit: template.wrong!.unit, reason: template.wrong!.reason });
  });
  // Three overdue: urged by the sweep, two reported, one supervised by the leader.
  pin('customs', 'hotline', null, (story, rng, template) => {
    const at = opened(story, rng, W(14), W(13), [lead(template)]);
    planPart(story.index, rng, template, lead(template), at, noFate, { leaveOpen: true });
    add(story.index, onWorkday(W(1), rng, 9 * 60, 10 * 60), { do: 'supervise', instruction: '请海关办事处加快协调，本周内向企业反馈。' });
  });
  pin('property-certificate', 'visit', null, (story, rng, template) => {
    const at = opened(story, rng, W(17), W(16), [lead(template)]);
    planPart(story.index, rng, template, lead(template), at, noFate, { leaveOpen: true });
  });
  pin('subsidy-redemption', 'web', null, (story, rng, template) => {
    const at = opened(story, rng, W(7), W(6), [lead(template)]);
    planPart(story.index, rng, template, lead(template), at, noFate, { leaveOpen: true });
  });
  // A paused case (waiting for the enterprise) and an extension request awaiting the officer.
  pin('schooling', 'web', null, (story, rng, template) => {
    const at = opened(story, rng, W(7), W(6), [lead(template)]);
    add(story.index, later(at, rng, 30, 120), { do: 'sign', unit: template.lead });
    add(story.index, onWorkday(W(2), rng, 9 * 60, 11 * 60), { do: 'pause', unit: template.lead, reason: template.pause! });
  });
  pin('land-quota', 'visit', null, (story, rng, template) => {
    const at = opened(story, rng, W(9), W(8), [lead(template)]);
    add(story.index, later(at, rng, 30, 120), { do: 'sign', unit: template.lead });
    add(story.index, onWorkday(W(0), rng, 14 * 60, 16 * 60), { do: 'requestExtension', unit: template.lead, days: 10, reason: template.extension! });
  });
  // Cases the units are working on, within their time limits.
  for (const [key, submitted] of [['sewage', 5], ['schooling', 4], ['loan', 4], ['fire-acceptance', 3], ['recruitment', 2], ['water', 2]] as const) {
    pin(key, key === 'loan' ? 'web' : 'visit', null, (story, rng, template) => {
      const at = opened(story, rng, W(submitted), W(submitted - 1), [lead(template)]);
      add(story.index, later(at, rng, 30, 300), { do: 'sign', unit: template.lead });
    });
  }
  // The demo `enterprise` account's firm: one case closed months ago, one answered and waiting for its rating.
  pin('subsidy-redemption', 'web', demoEnterprise, (story, rng, template) => planCase(story, rng, template, submitTime(rng, 'web', addCalendarDays(today, -200)), { ...noFate, archived: true }), true);
  pin('customs', 'web', demoEnterprise, (story, rng, template) => {
    const parts: PlannedPart[] = [{ ...lead(template), part: template.leadPart! }, { unit: 'econ', part: template.joint!.part, days: 7, isLead: false }];
    const at = opened(story, rng, W(7), W(6), parts);
    for (const [k, part] of parts.entries()) {
      add(story.index, later(at, rng, 30, 200), { do: 'sign', unit: part.unit });
      add(story.index, onWorkday(W(2 - k), rng, 10 * 60, 16 * 60), { do: 'answer', unit: part.unit, answer: template.answers[part.unit]![0] });
    }
  }, true);

  // ── the year ────────────────────────────────────────────────────────────────────────────────────────────────

  const withPins = count >= 40;
  const points = liaisonPointsOf(world);
  const symposiumDays = withPins && points.length > 0 ? symposiumDaysOf(today, span) : [];
  const ordinary = count - (withPins ? pinned.length + symposiumDays.length : 0);
  const pickTemplate = (month: number) => weightedPicker(appealTemplates.map((template) => ({ template, weight: template.weight * (template.season?.(month) ?? 1) })));
  const pickers = new Map<number, ReturnType<typeof pickTemplate>>();
  for (let k = 0; stories.length < ordinary && k < ordinary * 2; k++) {
    const rng = rngFor(world.seed, STREAM_APPEALS, k);
    // A few more in the last three weeks than the year's average: the cases still open today.
    const offset = rng() < 0.04 ? intBetween(rng, 1, 20) : intBetween(rng, 3, 364);
    const date = addCalendarDays(today, -offset);
    if (rng() < 0.035) {
      planDeclined(rng, date);
      continue;
    }
    const month = Number(date.slice(5, 7));
    if (!pickers.has(month)) pickers.set(month, pickTemplate(month));
    let template = pickers.get(month)!(rng).template;
    let enterprise = pickEnterprise(rng, template.fits);
    if (!enterprise) {
      template = byKey.get('subsidy-redemption')!;
      enterprise = pickEnterprise(rng);
      if (!enterprise) continue;
    }
    const channel = pickChannel(rng);
    const story = newStory(rng, enterprise, template, template.text(enterprise, rng, month), channel);
    const submittedAt = submitTime(rng, channel, date);
    planCase(story, rng, template, submittedAt, drawFate(rng, template));
    // A duplicate: the enterprise asks again a day or two later; the officer merges it into the first, which must
    // still be open (not yet rated).
    if (rng() < 0.03 && stories.length < ordinary) {
      const again: Channel = channel === 'hotline' ? 'web' : 'hotline';
      const askedAt = Math.max(submitTime(rng, again, addCalendarDays(date, intBetween(rng, 1, 2))), submittedAt + HOUR);
      const mergedAt = later(askedAt, rng, 30, 6 * 60);
      const ratedAt = Math.min(...steps.filter((step) => step.story === story.index && step.do === 'rate').map((step) => step.at));
      if (mergedAt < ratedAt) {
        const duplicate = newStory(rng, enterprise, template, { title: again === 'hotline' ? `来电催问：${story.title}`.slice(0, 80) : story.title, description: story.description }, again);
        duplicate.managerPick = story.managerPick;
        add(duplicate.index, askedAt, { do: 'submit' });
        add(duplicate.index, mergedAt, { do: 'merge', officer: pickOfficer(rng), into: story.index });
      }
    }
  }
  if (withPins) pinned.forEach((play, k) => play(rngFor(world.seed, STREAM_APPEALS + 1, k)));

  // At each quarterly symposium one suggestion becomes an appeal, raised by the officer that evening.
  symposiumDays.forEach((heldOn, k) => {
    const rng = rngFor(world.seed, STREAM_APPEALS + 2, k);
    const point = points[k % points.length];
    const inPark = point.name.startsWith('中节能');
    const template = byKey.get(pick(rng, inPark ? ['park-repair', 'power-capacity', 'recruitment', 'sewage'] : ['fur-support', 'loan', 'recruitment', 'subsidy-redemption']))!;
    const candidates = point.members.map((index) => world.enterprise(index)).filter((enterprise) => !template.fits || template.fits(enterprise));
    const enterprise = candidates.length > 0 ? pick(rng, candidates) : world.enterprise(point.members[0]);
    const story = newStory(rng, enterprise, template, template.text(enterprise, rng, Number(heldOn.slice(5, 7))), 'symposium');
    story.symposium = k;
    planCase(story, rng, template, instant(heldOn, 17 * 60), drawFate(rng, { ...template, wrong: undefined }));
  });

  // The overdue sweep runs every working day at 08:00, as the job worker does.
  for (let day = firstDay; day <= today; day = addCalendarDays(day, 1)) {
    if (span.isWorkday(day)) steps.push({ do: 'sweep', at: instant(day, 8 * 60), story: -1, order: order++ });
  }

  const appealSteps = steps.filter((step) => step.at <= endAt).sort((a, b) => a.at - b.at || a.order - b.order).map(({ order: _order, ...step }) => step as AppealStep);
  const visits = planVisitYear(world, stories, appealSteps, visitCount, end, span);
  // Stable: at equal times appeal steps keep their place before visit steps.
  const all: Step[] = [...appealSteps, ...visits.steps].sort((a, b) => a.at - b.at);
  return { stories, steps: all, startsAt, visits: visits.visits, points: visits.points, symposiums: visits.symposiums };
}

/** Calendar days the plan needs loaded: the year, and deadlines reaching past today. */
export function planSpan(end: Date): { from: string; to: string } {
  const today = chinaDate(end);
  return { from: addCalendarDays(today, -380), to: addCalendarDays(today, 200) };
}

