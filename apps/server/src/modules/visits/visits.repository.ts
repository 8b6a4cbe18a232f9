import { randomBytes } from 'node:crypto';
import type { FollowUp, PersonMet, Visit, VisitListItem, VisitProblem, VisitStatus } from '@qinqing/contracts';
import type { Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { parseList } from '../enterprises/enterprises.repository.js';

export type VisitRow = Database['visits'];

/** A visit row with the names the API shows beside it. */
export type VisitView = VisitRow & { enterprise_name: string; enterprise_region_code: string; visitor_name: string; organisation_name: string | null };

export interface StoredProblem {
  id: string;
  text: string;
  appealId: string | null;
}
export interface StoredFollowUp {
  id: string;
  text: string;
  dueOn: string | null;
  done: boolean;
  doneAt: string | null;
}
export interface StoredPerson {
  name: string;
  position: string | null;
}

/** A short id for an item inside a visit's or symposium's JSON list (stable across edits, used in URLs). */
export function newItemId(): string {
  return randomBytes(6).toString('base64url');
}

/** The query every read of visits starts from: the row with the enterprise, the visitor and their unit. */
export function visitsWithNames(executor: Executor) {
  return executor
    .selectFrom('visits')
    .innerJoin('enterprises', 'enterprises.id', 'visits.enterprise_id')
    .innerJoin('users', 'users.id', 'visits.visitor_user_id')
    .leftJoin('organisations', 'organisations.id', 'visits.visitor_organisation_id')
    .selectAll('visits')
    .select(['enterprises.name as enterprise_name', 'enterprises.region_code as enterprise_region_code', 'users.display_name as visitor_name', 'organisations.name as organisation_name']);
}

export function toVisit(row: VisitView, canEdit: boolean): Visit {
  return {
    id: row.id,
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name,
    status: row.status as VisitStatus,
    plannedOn: row.planned_on,
    visitedOn: row.visited_on,
    date: row.calendar_date,
    visitorId: row.visitor_user_id,
    visitorName: row.visitor_name,
    organisationId: row.visitor_organisation_id,
    organisationName: row.organisation_name,
    peopleMet: parseList<StoredPerson>(row.people_met).map((person) => ({ name: person.name, position: person.position ?? null })),
    topics: parseList<string>(row.topics),
    summary: row.summary,
    problems: parseList<StoredProblem>(row.problems).map((problem): VisitProblem => ({ id: problem.id, text: problem.text, appealId: problem.appealId ?? null })),
    followUps: parseList<StoredFollowUp>(row.follow_ups).map((item): FollowUp => ({ id: item.id, text: item.text, dueOn: item.dueOn ?? null, done: Boolean(item.done), doneAt: item.doneAt ?? null })),
    cancelReason: row.cancel_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    canEdit,
  };
}

export function toVisitListItem(row: VisitView): VisitListItem {
  const problems = parseList<StoredProblem>(row.problems);
  return {
    id: row.id,
    enterpriseId: row.enterprise_id,
    enterpriseName: row.enterprise_name,
    status: row.status as VisitStatus,
    plannedOn: row.planned_on,
    visitedOn: row.visited_on,
    date: row.calendar_date,
    visitorId: row.visitor_user_id,
    visitorName: row.visitor_name,
    organisationId: row.visitor_organisation_id,
    organisationName: row.organisation_name,
    topics: parseList<string>(row.topics),
    problemCount: problems.length,
    appealCount: problems.filter((problem) => problem.appealId).length,
    openFollowUps: parseList<StoredFollowUp>(row.follow_ups).filter((item) => !item.done).length,
  };
}

/** What a visit row needs, for the service and for bulk loaders (demo data) alike. */
export interface VisitRowInput {
  id: string;
  enterpriseId: string;
  status: VisitStatus;
  plannedOn: string | null;
  visitedOn: string | null;
  visitorUserId: string;
  visitorOrganisationId: string | null;
  peopleMet?: PersonMet[];
  topics?: string[];
  summary?: string | null;
  problems?: StoredProblem[];
  followUps?: StoredFollowUp[];
  cancelReason?: string | null;
  createdBy: string | null;
  at: string;
}

/** The row as stored: JSON lists encoded, the calendar's day derived from the status. */
export function visitRow(input: VisitRowInput): VisitRow {
  const calendarDate = input.status === 'done' ? input.visitedOn : input.plannedOn;
  if (!calendarDate) throw new Error(`a ${input.status} visit needs its date`);
  return {
    id: input.id,
    enterprise_id: input.enterpriseId,
    status: input.status,
    planned_on: input.plannedOn,
    visited_on: input.visitedOn,
    calendar_date: calendarDate,
    visitor_user_id: input.visitorUserId,
    visitor_organisation_id: input.visitorOrganisationId,
    people_met: JSON.stringify((input.peopleMet ?? []).map((person) => ({ name: person.name, position: person.position ?? null }))),
    topics: JSON.stringify(input.topics ?? []),
    summary: input.summary ?? null,
    problems: JSON.stringify(input.problems ?? []),
    follow_ups: JSON.stringify(input.followUps ?? []),
    cancel_reason: input.cancelReason ?? null,
    created_by: input.createdBy,
    created_at: input.at,
    updated_at: input.at,
  };
}
