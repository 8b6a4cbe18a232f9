import { z } from 'zod';
import { idSchema, pageOf, phoneSchema, plainText, regionCodeSchema } from './schemas.js';

/**
 * Visits (走访), liaison points (企情联络点) and their quarterly symposiums (座谈会).
 * A visit is a plan until it is recorded as done; a plan may be cancelled; a record is never cancelled.
 */
export const visitStatuses = ['planned', 'done', 'cancelled'] as const;
export type VisitStatus = (typeof visitStatuses)[number];

/** A calendar day, YYYY-MM-DD (China time). */
export const calendarDateSchema = z.iso.date();

/** How many days before and after a visit another unit's visit to the same enterprise is worth a warning. */
export const VISIT_OVERLAP_DAYS = 7;

export const personMetSchema = z.object({
  name: plainText(32),
  position: plainText(32).nullish(),
});
export type PersonMet = z.infer<typeof personMetSchema>;

/** A problem the enterprise raised; `appealId` is set once it became an appeal (诉求). */
export const visitProblemSchema = z.object({ id: z.string(), text: z.string(), appealId: z.string().nullable() });
export type VisitProblem = z.infer<typeof visitProblemSchema>;
/** An existing problem keeps its `id`; a problem that became an appeal cannot be changed or removed. */
export const visitProblemInputSchema = z.object({ id: idSchema.optional(), text: plainText(500) });

export const followUpSchema = z.object({
  id: z.string(),
  text: z.string(),
  dueOn: z.string().nullable(),
  done: z.boolean(),
  doneAt: z.string().nullable(),
});
export type FollowUp = z.infer<typeof followUpSchema>;
export const followUpInputSchema = z.object({
  id: idSchema.optional(),
  text: plainText(200),
  dueOn: calendarDateSchema.nullish(),
  done: z.boolean().optional(),
});

export const visitSchema = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  status: z.enum(visitStatuses),
  plannedOn: z.string().nullable(),
  visitedOn: z.string().nullable(),
  /** The calendar's day: visitedOn once done, plannedOn before. */
  date: z.string(),
  visitorId: z.string(),
  visitorName: z.string(),
  /** The visitor's unit (单位) at the time. */
  organisationId: z.string().nullable(),
  organisationName: z.string().nullable(),
  peopleMet: z.array(personMetSchema.extend({ position: z.string().nullable() })),
  topics: z.array(z.string()),
  summary: z.string().nullable(),
  problems: z.array(visitProblemSchema),
  followUps: z.array(followUpSchema),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Whether the caller may change it: instructors their own visits, officers those in their area. */
  canEdit: z.boolean(),
});
export type Visit = z.infer<typeof visitSchema>;

/** What a calendar cell or list row shows. */
export const visitListItemSchema = visitSchema
  .pick({ id: true, enterpriseId: true, enterpriseName: true, status: true, plannedOn: true, visitedOn: true, date: true, visitorId: true, visitorName: true, organisationId: true, organisationName: true, topics: true })
  .extend({ problemCount: z.number(), appealCount: z.number(), openFollowUps: z.number() });
export type VisitListItem = z.infer<typeof visitListItemSchema>;

/** Another unit visited (or plans to visit) the same enterprise within 7 days: shown, never an error. */
export const visitWarningSchema = z.object({
  visitId: z.string(),
  status: z.enum(['planned', 'done']),
  date: z.string(),
  organisationId: z.string().nullable(),
  organisationName: z.string().nullable(),
  visitorName: z.string(),
  message: z.string(),
});
export type VisitWarning = z.infer<typeof visitWarningSchema>;

export const visitWithWarningsSchema = visitSchema.extend({ warnings: z.array(visitWarningSchema) });
export type VisitWithWarnings = z.infer<typeof visitWithWarningsSchema>;

const visitDetails = {
  peopleMet: z.array(personMetSchema).max(30).optional(),
  topics: z.array(plainText(50)).max(20).optional(),
  summary: plainText(4000).nullish(),
  problems: z.array(visitProblemInputSchema).max(30).optional(),
  followUps: z.array(followUpInputSchema).max(30).optional(),
};

/** Plan a visit (status planned, plannedOn) or record one straight away (status done, visitedOn). */
export const createVisitInputSchema = z.object({
  enterpriseId: idSchema,
  status: z.enum(['planned', 'done']),
  plannedOn: calendarDateSchema.nullish(),
  visitedOn: calendarDateSchema.nullish(),
  ...visitDetails,
});
export type CreateVisitInput = z.infer<typeof createVisitInputSchema>;

/** A planned visit's date moves with plannedOn, a done one's with visitedOn; the rest is the record. */
export const updateVisitInputSchema = z
  .object({ plannedOn: calendarDateSchema.optional(), visitedOn: calendarDateSchema.optional(), ...visitDetails })
  .refine((value) => Object.keys(value).length > 0, { message: 'nothing to change' });
export type UpdateVisitInput = z.infer<typeof updateVisitInputSchema>;

/** A plan becomes a record. */
export const recordVisitInputSchema = z.object({ visitedOn: calendarDateSchema, ...visitDetails });
export type RecordVisitInput = z.infer<typeof recordVisitInputSchema>;

export const cancelVisitInputSchema = z.object({ reason: plainText(200) });

export const visitListQuerySchema = z.object({
  from: calendarDateSchema.optional(),
  to: calendarDateSchema.optional(),
  enterpriseId: idSchema.optional(),
  visitorId: idSchema.optional(),
  organisationId: idSchema.optional(),
  /** Only the caller's own plans and records (我的走访). */
  mine: z.enum(['true', 'false']).optional(),
  status: z.enum(visitStatuses).optional(),
  /** Newest first by default; the calendar asks for oldest first. */
  order: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  /** Up to 500: a month of a town's calendar in one request. */
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
});
export type VisitListQuery = z.infer<typeof visitListQuerySchema>;
/** A page of visits; `hasMore` is true when more match than this page holds (the calendar says so rather than cutting silently). */
export const visitPageSchema = pageOf(visitListItemSchema).extend({ hasMore: z.boolean() });
export type VisitPage = z.infer<typeof visitPageSchema>;
export type VisitFilter = Omit<VisitListQuery, 'page' | 'pageSize' | 'order'>;

/** People and units that appear in the visits one may see (filters, the calendar's colour legend). */
export const visitorSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  organisationId: z.string().nullable(),
  organisationName: z.string().nullable(),
});
export type Visitor = z.infer<typeof visitorSchema>;

/** 最近走访：日期，走访人（单位）. */
export const lastVisitSchema = z.object({
  lastVisit: z
    .object({ visitId: z.string(), visitedOn: z.string(), visitorName: z.string(), organisationName: z.string().nullable() })
    .nullable(),
  /** The next plan from today on, if any. */
  nextPlan: z.object({ visitId: z.string(), plannedOn: z.string(), visitorName: z.string(), organisationName: z.string().nullable() }).nullable(),
  doneCount: z.number(),
});
export type LastVisit = z.infer<typeof lastVisitSchema>;

/** Store the appeal a problem or suggestion became (after POST /api/appeals). */
export const linkAppealInputSchema = z.object({ appealId: idSchema });

// Liaison points (企情联络点)

export const liaisonPointSchema = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  hostEnterpriseId: z.string().nullable(),
  hostEnterpriseName: z.string().nullable(),
  contactName: z.string().nullable(),
  /** Masked (138****1234). */
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  isActive: z.boolean(),
  memberCount: z.number(),
  lastSymposiumOn: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LiaisonPoint = z.infer<typeof liaisonPointSchema>;

export const liaisonMemberSchema = z.object({ enterpriseId: z.string(), enterpriseName: z.string(), creditCode: z.string(), joinedAt: z.string() });
export type LiaisonMember = z.infer<typeof liaisonMemberSchema>;

export const liaisonPointDetailSchema = liaisonPointSchema.extend({ members: z.array(liaisonMemberSchema) });
export type LiaisonPointDetail = z.infer<typeof liaisonPointDetailSchema>;

export const createLiaisonPointInputSchema = z.object({
  name: plainText(100),
  regionCode: regionCodeSchema,
  hostEnterpriseId: idSchema.nullish(),
  contactName: plainText(32).nullish(),
  /** A phone sent back exactly as shown (masked) keeps the stored number. */
  contactPhone: phoneSchema.or(z.string().regex(/^1\d{2}\*{4}\d{4}$/, 'an 11-digit mobile number')).nullish(),
  address: plainText(200).nullish(),
  memberIds: z.array(idSchema).max(1000).optional(),
});
export type CreateLiaisonPointInput = z.infer<typeof createLiaisonPointInputSchema>;

export const updateLiaisonPointInputSchema = createLiaisonPointInputSchema
  .omit({ memberIds: true })
  .partial()
  .extend({ isActive: z.boolean().optional() })
  .refine((value) => Object.keys(value).length > 0, { message: 'nothing to change' });
export type UpdateLiaisonPointInput = z.infer<typeof updateLiaisonPointInputSchema>;

export const replaceMembersInputSchema = z.object({ enterpriseIds: z.array(idSchema).max(1000) });

export const liaisonPointListQuerySchema = z.object({
  q: z.string().trim().max(50).optional(),
  isActive: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

// Symposiums (座谈会)

/** 2026Q3 */
export const quarterSchema = z.string().regex(/^\d{4}Q[1-4]$/, 'a quarter such as 2026Q3');

/** The quarter a date falls in: 2026-08-14 → 2026Q3. */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

export const suggestionSchema = z.object({
  id: z.string(),
  enterpriseId: z.string().nullable(),
  enterpriseName: z.string().nullable(),
  text: z.string(),
  appealId: z.string().nullable(),
});
export type Suggestion = z.infer<typeof suggestionSchema>;
/** An existing suggestion keeps its `id`; one that became an appeal cannot be changed or removed. */
export const suggestionInputSchema = z.object({ id: idSchema.optional(), enterpriseId: idSchema.nullish(), text: plainText(500) });

export const attendeeSchema = z.object({ enterpriseId: z.string(), enterpriseName: z.string(), personName: z.string() });
export type Attendee = z.infer<typeof attendeeSchema>;

export const symposiumSchema = z.object({
  id: z.string(),
  liaisonPointId: z.string(),
  liaisonPointName: z.string(),
  heldOn: z.string(),
  quarter: z.string(),
  topic: z.string(),
  location: z.string().nullable(),
  notes: z.string().nullable(),
  attendeeCount: z.number(),
  enterpriseCount: z.number(),
  suggestionCount: z.number(),
  appealCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Symposium = z.infer<typeof symposiumSchema>;

export const symposiumDetailSchema = symposiumSchema.extend({ attendees: z.array(attendeeSchema), suggestions: z.array(suggestionSchema) });
export type SymposiumDetail = z.infer<typeof symposiumDetailSchema>;

export const createSymposiumInputSchema = z.object({
  liaisonPointId: idSchema,
  heldOn: calendarDateSchema,
  topic: plainText(100),
  location: plainText(100).nullish(),
  notes: plainText(4000).nullish(),
  suggestions: z.array(suggestionInputSchema).max(100).optional(),
});
export type CreateSymposiumInput = z.infer<typeof createSymposiumInputSchema>;

export const updateSymposiumInputSchema = createSymposiumInputSchema
  .omit({ liaisonPointId: true })
  .partial()
  .refine((value) => Object.keys(value).length > 0, { message: 'nothing to change' });
export type UpdateSymposiumInput = z.infer<typeof updateSymposiumInputSchema>;

/** The attendance check-list: who came, for which enterprise. Replaces the previous list. */
export const replaceAttendanceInputSchema = z.object({
  attendees: z.array(z.object({ enterpriseId: idSchema, personName: plainText(32) })).max(500),
});
export type ReplaceAttendanceInput = z.infer<typeof replaceAttendanceInputSchema>;

export const symposiumListQuerySchema = z.object({
  liaisonPointId: idSchema.optional(),
  quarter: quarterSchema.optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type SymposiumListQuery = z.infer<typeof symposiumListQuerySchema>;
