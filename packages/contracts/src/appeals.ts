import { z } from 'zod';
import { idSchema, pageQuerySchema, phoneSchema, plainText } from './schemas.js';

/** Free text that may span lines (descriptions, answers): no other control characters. */
export function multilineText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), { message: 'must not contain control characters' });
}

export const dateSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date YYYY-MM-DD');

/**
 * The appeal's states (domain-rules §5). 已办结 and 待评价 are one state here (`answered`): every unit has answered
 * and the enterprise's rating is awaited. 已签收 and 办理中 are the units' part states (`signed`), see below.
 */
export const appealStatuses = ['pending', 'accepted', 'declined', 'dispatched', 'in_progress', 'answered', 'rated', 'archived', 'merged'] as const;
export type AppealStatus = (typeof appealStatuses)[number];

/** 已结束: no unit works on it and nothing is awaited from the enterprise; it takes no more attachments. */
export const closedAppealStatuses: readonly AppealStatus[] = ['declined', 'rated', 'archived', 'merged'];

/** One unit's part of an appeal (会办: several parts, each with its own deadline). */
export const partStatuses = ['dispatched', 'signed', 'returned', 'answered', 'withdrawn'] as const;
export type PartStatus = (typeof partStatuses)[number];

export const appealUrgencies = ['normal', 'urgent'] as const;
export const appealRatings = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type AppealRating = (typeof appealRatings)[number];
export const appealRatingNamesZh = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' } as const satisfies Record<AppealRating, string>;

/** Where an appeal came from. */
export const appealOriginKinds = ['web', 'officer', 'visit', 'symposium', 'hotline', 'api'] as const;

/** Everything that can happen to an appeal; the allowed transitions are one table on the server. */
export const appealActions = [
  'submit',
  'accept',
  'decline',
  'merge',
  'dispatch',
  'sign',
  'return',
  'withdraw',
  'pause',
  'resume',
  'request_extension',
  'decide_extension',
  'answer',
  'rate',
  'redo',
  'urge',
  'report',
  'supervise',
  'archive',
] as const;
export type AppealAction = (typeof appealActions)[number];

/**
 * The Chinese names of the steps and ratings — the one source: the server writes them into the enterprise file's
 * timeline and the notices, the web's zh-CN locale shows them (`appeals.events`, `appeals.ratings`); en-US.ts has
 * the English under the same keys.
 */
export const appealActionNamesZh = {
  submit: '提交诉求',
  accept: '受理',
  decline: '不予受理',
  merge: '合并',
  dispatch: '交办',
  sign: '签收',
  return: '退单',
  withdraw: '撤回交办',
  pause: '暂停计时（等待企业）',
  resume: '恢复计时',
  request_extension: '申请延期',
  decide_extension: '延期审批',
  answer: '答复办结',
  rate: '评价',
  redo: '重办',
  urge: '催办',
  report: '通报',
  supervise: '督办',
  archive: '归档',
} as const satisfies Record<AppealAction, string>;

export const appealCategorySchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  /** The time limit in working days, counted from the day after dispatch. */
  deadlineDays: z.number().int(),
  isEnabled: z.boolean(),
  sortOrder: z.number().int(),
});
export type AppealCategory = z.infer<typeof appealCategorySchema>;

export const appealCategoryCodeSchema = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, 'a lower-case code');

export const upsertAppealCategoryInputSchema = z.object({
  name: plainText(32),
  nameEn: plainText(64),
  deadlineDays: z.number().int().min(1).max(60),
  isEnabled: z.boolean().default(true),
  sortOrder: z.number().int().min(0).max(999).default(100),
});
export type UpsertAppealCategoryInput = z.infer<typeof upsertAppealCategoryInputSchema>;
export const createAppealCategoryInputSchema = upsertAppealCategoryInputSchema.extend({ code: appealCategoryCodeSchema });
export type CreateAppealCategoryInput = z.infer<typeof createAppealCategoryInputSchema>;

export const appealOriginSchema = z.object({
  kind: z.enum(appealOriginKinds),
  id: idSchema.nullish(),
});

export const createAppealInputSchema = z.object({
  enterpriseId: idSchema,
  categoryCode: appealCategoryCodeSchema,
  title: plainText(80),
  description: multilineText(4000),
  urgency: z.enum(appealUrgencies).default('normal'),
  /** Who to call back; defaults to the submitting user. */
  contactName: plainText(32).nullish(),
  contactPhone: phoneSchema.nullish(),
  origin: appealOriginSchema.nullish(),
});
export type CreateAppealInput = z.infer<typeof createAppealInputSchema>;

/** Every action names the version it was decided on: a stale version is a 409 with the current state. */
const versioned = { version: z.number().int().min(1) };

export const appealActionInputs = {
  accept: z.object({ ...versioned }),
  decline: z.object({ ...versioned, reason: multilineText(1000) }),
  merge: z.object({ ...versioned, intoId: idSchema }),
  dispatch: z.object({
    ...versioned,
    parts: z
      .array(
        z.object({
          organisationId: idSchema,
          /** This unit's share of the work (会办); optional for a single unit. */
          part: plainText(200).nullish(),
          /** Working days; defaults to the category's limit. */
          days: z.number().int().min(1).max(60).nullish(),
          isLead: z.boolean().default(false),
        }),
      )
      .min(1)
      .max(10),
  }),
  sign: z.object({ ...versioned }),
  return: z.object({ ...versioned, reason: multilineText(1000) }),
  /** 撤回交办: the office takes a unit's unanswered part back (dispatched to the wrong unit, or no longer needed). */
  withdraw: z.object({ ...versioned, reason: multilineText(1000) }),
  pause: z.object({ ...versioned, reason: multilineText(1000) }),
  resume: z.object({ ...versioned }),
  requestExtension: z.object({ ...versioned, days: z.number().int().min(1).max(20), reason: multilineText(1000) }),
  decideExtension: z.object({ ...versioned, approve: z.boolean(), comment: plainText(500).nullish() }),
  answer: z.object({ ...versioned, answer: multilineText(4000) }),
  rate: z.object({ ...versioned, rating: z.enum(appealRatings), comment: multilineText(1000).nullish() }),
  urge: z.object({ ...versioned, message: plainText(500).nullish() }),
  supervise: z.object({ ...versioned, instruction: multilineText(1000) }),
  archive: z.object({ ...versioned, note: plainText(500).nullish() }),
};

export const appealAttachmentSchema = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  uploadedByName: z.string().nullable(),
  createdAt: z.string(),
});
export type AppealAttachment = z.infer<typeof appealAttachmentSchema>;

export const appealPartSchema = z.object({
  id: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  organisationKind: z.string(),
  part: z.string().nullable(),
  isLead: z.boolean(),
  status: z.enum(partStatuses),
  dispatchedAt: z.string(),
  signedAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  answer: z.string().nullable(),
  /** The working-day deadline (dates in China time). */
  dueDate: z.string(),
  dueEstimated: z.boolean(),
  /** Paused while waiting for the enterprise since this date (excluded from the clock). */
  pausedSince: z.string().nullable(),
  pausedDays: z.number(),
  /** A pending extension request. */
  extensionRequest: z.object({ days: z.number(), reason: z.string(), requestedAt: z.string() }).nullable(),
  returnCount: z.number(),
  overdue: z.boolean(),
  /** The files of the unit's answer (same kinds, limits and download as the appeal's own attachments). */
  attachments: z.array(appealAttachmentSchema),
});
export type AppealPart = z.infer<typeof appealPartSchema>;

export const appealListItemSchema = z.object({
  id: z.string(),
  number: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  categoryCode: z.string(),
  title: z.string(),
  urgency: z.enum(appealUrgencies),
  status: z.enum(appealStatuses),
  /** The earliest deadline among the open parts. */
  dueDate: z.string().nullable(),
  /** That deadline crosses a year whose holiday notice is not in the calendar yet (预计). */
  dueEstimated: z.boolean(),
  /** The state of the caller's own unit's part, for a handling unit's people. */
  myPartStatus: z.enum(partStatuses).nullable(),
  /** Its deadline (in 会办 the unit's own, not the case's earliest). */
  myPartDueDate: z.string().nullable(),
  overdue: z.boolean(),
  supervised: z.boolean(),
  units: z.array(z.string()),
  rating: z.enum(appealRatings).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AppealListItem = z.infer<typeof appealListItemSchema>;

export const appealEventSchema = z.object({
  id: z.number(),
  action: z.enum(appealActions),
  partId: z.string().nullable(),
  organisationName: z.string().nullable(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  actorName: z.string().nullable(),
  at: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type AppealEvent = z.infer<typeof appealEventSchema>;

export const appealSchema = appealListItemSchema.extend({
  description: z.string(),
  creditCode: z.string(),
  origin: z.object({ kind: z.enum(appealOriginKinds), id: z.string().nullable() }),
  submittedByName: z.string().nullable(),
  contactName: z.string().nullable(),
  /** Masked (138****1234). */
  contactPhone: z.string().nullable(),
  declineReason: z.string().nullable(),
  mergedIntoId: z.string().nullable(),
  ratingComment: z.string().nullable(),
  redoCount: z.number(),
  version: z.number(),
  parts: z.array(appealPartSchema),
  events: z.array(appealEventSchema),
  attachments: z.array(appealAttachmentSchema),
  /** What the caller may do now, for the screen's buttons: `action` or `action:partId`; an officer's rating taken on a
   * return call (回访) is `callback_rating`. */
  allowedActions: z.array(z.string()),
});
export type Appeal = z.infer<typeof appealSchema>;

export const appealListQuerySchema = pageQuerySchema.extend({
  q: z.string().trim().max(50).optional(),
  status: z.enum(appealStatuses).optional(),
  /** open = not closed (closedAppealStatuses: declined, rated, archived, merged). */
  state: z.enum(['open', 'closed']).optional(),
  categoryCode: appealCategoryCodeSchema.optional(),
  enterpriseId: idSchema.optional(),
  organisationId: idSchema.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** 待办: what waits for the caller — a unit's parts to sign or answer, an officer's cases to accept or dispatch
   * and extension requests to decide, an enterprise's answers to rate, a leader's overdue cases. */
  todo: z.enum(['true']).optional(),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  /** What from/to apply to: the submission date (default), or any step in the period (with organisationId: that
   * unit's steps) — the KPI drill-down's cases. */
  dates: z.enum(['submitted', 'activity']).optional(),
});
export type AppealListQuery = z.infer<typeof appealListQuerySchema>;

export const similarAppealsQuerySchema = z.object({ enterpriseId: idSchema, title: z.string().trim().max(80).default('') });

export const kpiQuerySchema = z.object({ from: dateSchema, to: dateSchema });
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

/** Per-unit KPIs for a period, all recomputed from the appeal events. Rates are null when there is nothing to divide. */
export const unitKpiSchema = z.object({
  organisationId: z.string(),
  organisationName: z.string(),
  dispatched: z.number(),
  signed: z.number(),
  /** 签收率: parts signed ÷ parts dispatched in the period. */
  signRate: z.number().nullable(),
  /** Parts answered, and answered on or before their (extended, pause-adjusted) deadline. */
  answered: z.number(),
  answeredOnTime: z.number(),
  /** Parts whose deadline passed in the period without an answer by then. */
  overdue: z.number(),
  /** 按期办结率: answered on time ÷ (answered + overdue unanswered). */
  onTimeRate: z.number().nullable(),
  rated: z.number(),
  satisfied: z.number(),
  /** 满意率: (满意 + 基本满意) ÷ rated. */
  satisfactionRate: z.number().nullable(),
  /** 退单次数 */
  returns: z.number(),
  /** Average working days from dispatch to answer, paused days excluded. */
  averageHandlingDays: z.number().nullable(),
});
export type UnitKpi = z.infer<typeof unitKpiSchema>;

export const kpiReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  units: z.array(unitKpiSchema),
  totals: z.object({ submitted: z.number(), open: z.number(), overdue: z.number(), answered: z.number(), satisfactionRate: z.number().nullable() }),
});
export type KpiReport = z.infer<typeof kpiReportSchema>;

/** Organisations an officer can dispatch to: departments and outside units (power company, school …). */
export const dispatchUnitSchema = z.object({ id: z.string(), name: z.string(), kind: z.string() });
