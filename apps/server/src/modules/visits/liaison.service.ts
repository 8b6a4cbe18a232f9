import {
  type CreateLiaisonPointInput,
  type CreateSymposiumInput,
  type LiaisonPoint,
  type LiaisonPointDetail,
  type ReplaceAttendanceInput,
  type Suggestion,
  type Symposium,
  type SymposiumDetail,
  type SymposiumListQuery,
  type UpdateLiaisonPointInput,
  type UpdateSymposiumInput,
  quarterOf,
} from '@qinqing/contracts';
import type { ExpressionBuilder } from 'kysely';
import { type Actor, type RequestContext, requireActor } from '../../platform/actor.js';
import { maskPhone } from '../../platform/audit/masking.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/crypto.js';
import type { Db, Executor, Trx } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { containsPattern } from '../../platform/db/text.js';
import { AppError, conflict, invalidFields, notFound } from '../../platform/errors.js';
import type { Timeline } from '../../platform/timeline.js';
import { visibleEnterprises } from '../enterprises/enterprises.access.js';
import { parseList } from '../enterprises/enterprises.repository.js';
import { regionByCode } from '../reference/reference.js';
import { findLinkableAppeal } from './appeal-link.js';
import { type ItemIssue, mergeLinkedItems } from './visit-rules.js';
import { isAreaOfficer, visibleLiaisonPoints } from './visits.access.js';

export interface LiaisonServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  timeline: Timeline;
}

type PointRow = Database['liaison_points'];
type SymposiumRow = Database['symposiums'];

interface StoredSuggestion {
  id: string;
  enterpriseId: string | null;
  text: string;
  appealId: string | null;
}

/** Liaison points (企情联络点): a group of enterprises meeting the government every quarter at symposiums (座谈会). */
export function createLiaisonService(deps: LiaisonServiceDeps) {
  const { db, clock, audit, timeline } = deps;

  /** The point, or NOT_FOUND when it does not exist or the caller may not see it. */
  async function loadPoint(executor: Executor, id: string, actor: Actor): Promise<PointRow> {
    const row = await executor.selectFrom('liaison_points').selectAll().where('id', '=', id).where(visibleLiaisonPoints(actor)).executeTakeFirst();
    if (!row) throw notFound();
    return row;
  }

  /** Officers manage the points of their own area; someone who sees a point through a member enterprise only reads it. */
  async function loadManagedPoint(trx: Trx, id: string, actor: Actor): Promise<PointRow> {
    const row = await loadPoint(trx, id, actor);
    if (!isAreaOfficer(actor, row.region_code)) throw new AppError('FORBIDDEN');
    return row;
  }

  /** The ids among `ids` the caller may see, to refuse the rest naming the field. */
  async function visibleIds(executor: Executor, actor: Actor, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = new Set<string>();
    for (let start = 0; start < ids.length; start += 500) {
      const rows = await executor.selectFrom('enterprises').select('id').where('id', 'in', ids.slice(start, start + 500)).where(visibleEnterprises(actor)).execute();
      for (const row of rows) found.add(row.id);
    }
    return found;
  }

  async function requireVisible(executor: Executor, actor: Actor, entries: Array<{ field: string; id: string }>) {
    const visible = await visibleIds(executor, actor, [...new Set(entries.map((entry) => entry.id))]);
    const issues: ItemIssue[] = entries.filter((entry) => !visible.has(entry.id)).map((entry) => ({ field: entry.field, message: 'unknown enterprise, or outside your area' }));
    if (issues.length) throw invalidFields(issues);
  }

  function checkRegion(actor: Actor, regionCode: string) {
    if (!regionByCode(regionCode)) throw invalidFields([{ field: 'regionCode', message: 'unknown division code' }]);
    if (!isAreaOfficer(actor, regionCode)) throw invalidFields([{ field: 'regionCode', message: 'outside your area' }]);
  }

  async function toPoint(executor: Executor, row: PointRow): Promise<LiaisonPoint> {
    const [host, members, last] = await Promise.all([
      row.host_enterprise_id ? executor.selectFrom('enterprises').select('name').where('id', '=', row.host_enterprise_id).executeTakeFirst() : undefined,
      executor.selectFrom('liaison_point_members').select((eb) => eb.fn.countAll<number>().as('count')).where('liaison_point_id', '=', row.id).executeTakeFirstOrThrow(),
      executor.selectFrom('symposiums').select((eb) => eb.fn.max('held_on').as('heldOn')).where('liaison_point_id', '=', row.id).executeTakeFirst(),
    ]);
    return {
      id: row.id,
      name: row.name,
      regionCode: row.region_code,
      regionName: regionByCode(row.region_code)?.name ?? null,
      hostEnterpriseId: row.host_enterprise_id,
      hostEnterpriseName: host?.name ?? null,
      contactName: row.contact_name,
      contactPhone: maskPhone(row.contact_phone),
      address: row.address,
      isActive: row.is_active === 1,
      memberCount: Number(members.count),
      lastSymposiumOn: (last?.heldOn as string | null | undefined) ?? null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async function toPointDetail(executor: Executor, row: PointRow): Promise<LiaisonPointDetail> {
    const members = await executor
      .selectFrom('liaison_point_members')
      .innerJoin('enterprises', 'enterprises.id', 'liaison_point_members.enterprise_id')
      .select(['enterprises.id as enterpriseId', 'enterprises.name as enterpriseName', 'enterprises.credit_code as creditCode', 'liaison_point_members.joined_at as joinedAt'])
      .where('liaison_point_members.liaison_point_id', '=', row.id)
      .orderBy('enterprises.name')
      .execute();
    return { ...(await toPoint(executor, row)), members };
  }

  async function findLiaisonPoints(query: { q?: string; isActive?: 'true' | 'false'; page: number; pageSize: number }, ctx: RequestContext) {
    const actor = requireActor(ctx);
    let base = db.selectFrom('liaison_points').where(visibleLiaisonPoints(actor));
    if (query.q) base = base.where((eb) => eb(eb.fn('lower', ['liaison_points.name']), 'like', containsPattern(query.q!)));
    if (query.isActive) base = base.where('is_active', '=', query.isActive === 'true' ? 1 : 0);
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base.selectAll().orderBy('is_active', 'desc').orderBy('name').orderBy('id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute();
    const items: LiaisonPoint[] = [];
    for (const row of rows) items.push(await toPoint(db, row));
    return { items, total: Number(total) };
  }

  async function getLiaisonPoint(id: string, ctx: RequestContext): Promise<LiaisonPointDetail> {
    const actor = requireActor(ctx);
    return toPointDetail(db, await loadPoint(db, id, actor));
  }

  /** The unmasked contact phone, for a caller allowed to reveal personal data; audited. */
  async function revealContact(id: string, ctx: RequestContext): Promise<{ contactName: string | null; contactPhone: string | null }> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const row = await loadPoint(trx, id, actor);
      await audit.append(trx, { actor, action: 'liaison-point.contact.reveal', objectType: 'liaison_point', objectId: id, ip: ctx.ip, result: 'success' });
      return { contactName: row.contact_name, contactPhone: row.contact_phone };
    });
  }

  async function createLiaisonPoint(input: CreateLiaisonPointInput, ctx: RequestContext): Promise<LiaisonPointDetail> {
    const actor = requireActor(ctx);
    checkRegion(actor, input.regionCode);
    if (input.contactPhone?.includes('*')) throw invalidFields([{ field: 'contactPhone', message: 'an 11-digit mobile number' }]);
    const id = newId();
    const at = clock.now().toISOString();
    return db.transaction().execute(async (trx) => {
      const memberIds = [...new Set(input.memberIds ?? [])];
      await requireVisible(trx, actor, [
        ...(input.hostEnterpriseId ? [{ field: 'hostEnterpriseId', id: input.hostEnterpriseId }] : []),
        ...memberIds.map((enterpriseId, index) => ({ field: `memberIds.${index}`, id: enterpriseId })),
      ]);
      const row: PointRow = {
        id,
        name: input.name,
        region_code: input.regionCode,
        host_enterprise_id: input.hostEnterpriseId ?? null,
        contact_name: input.contactName ?? null,
        contact_phone: input.contactPhone ?? null,
        address: input.address ?? null,
        is_active: 1,
        created_at: at,
        updated_at: at,
      };
      await trx.insertInto('liaison_points').values(row).execute();
      if (memberIds.length) await trx.insertInto('liaison_point_members').values(memberIds.map((enterpriseId) => ({ liaison_point_id: id, enterprise_id: enterpriseId, joined_at: at }))).execute();
      await audit.append(trx, { actor, action: 'liaison-point.create', objectType: 'liaison_point', objectId: id, ip: ctx.ip, result: 'success', detail: { after: row, memberIds } });
      return toPointDetail(trx, row);
    });
  }

  async function updateLiaisonPoint(id: string, input: UpdateLiaisonPointInput, ctx: RequestContext): Promise<LiaisonPointDetail> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const before = await loadManagedPoint(trx, id, actor);
      if (input.regionCode) checkRegion(actor, input.regionCode);
      if (input.hostEnterpriseId) await requireVisible(trx, actor, [{ field: 'hostEnterpriseId', id: input.hostEnterpriseId }]);
      // A phone sent back exactly as it was shown (masked) means "unchanged".
      const phone = input.contactPhone === undefined || (input.contactPhone && input.contactPhone === maskPhone(before.contact_phone)) ? before.contact_phone : input.contactPhone;
      if (phone?.includes('*')) throw invalidFields([{ field: 'contactPhone', message: 'an 11-digit mobile number' }]);
      const next: Partial<PointRow> = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.regionCode !== undefined ? { region_code: input.regionCode } : {}),
        ...(input.hostEnterpriseId !== undefined ? { host_enterprise_id: input.hostEnterpriseId ?? null } : {}),
        ...(input.contactName !== undefined ? { contact_name: input.contactName ?? null } : {}),
        contact_phone: phone ?? null,
        ...(input.address !== undefined ? { address: input.address ?? null } : {}),
        ...(input.isActive !== undefined ? { is_active: input.isActive ? 1 : 0 } : {}),
      };
      const changed = Object.fromEntries(Object.entries(next).filter(([key, value]) => before[key as keyof PointRow] !== value));
      if (Object.keys(changed).length === 0) return toPointDetail(trx, before);
      const at = clock.now().toISOString();
      await trx.updateTable('liaison_points').set({ ...changed, updated_at: at }).where('id', '=', id).execute();
      const beforeValues = Object.fromEntries(Object.keys(changed).map((key) => [key, before[key as keyof PointRow]]));
      await audit.append(trx, { actor, action: 'liaison-point.update', objectType: 'liaison_point', objectId: id, ip: ctx.ip, result: 'success', detail: { before: beforeValues, after: changed } });
      return toPointDetail(trx, { ...before, ...changed, updated_at: at });
    });
  }

  /** Set the point's member enterprises; joining dates of those who stay are kept. */
  async function replaceMembers(id: string, enterpriseIds: string[], ctx: RequestContext): Promise<LiaisonPointDetail> {
    const actor = requireActor(ctx);
    const wanted = [...new Set(enterpriseIds)];
    return db.transaction().execute(async (trx) => {
      const point = await loadManagedPoint(trx, id, actor);
      await requireVisible(trx, actor, wanted.map((enterpriseId, index) => ({ field: `enterpriseIds.${index}`, id: enterpriseId })));
      const current = new Set((await trx.selectFrom('liaison_point_members').select('enterprise_id').where('liaison_point_id', '=', id).execute()).map((row) => row.enterprise_id));
      const added = wanted.filter((enterpriseId) => !current.has(enterpriseId));
      const removed = [...current].filter((enterpriseId) => !wanted.includes(enterpriseId));
      if (added.length === 0 && removed.length === 0) return toPointDetail(trx, point);
      const at = clock.now().toISOString();
      if (removed.length) await trx.deleteFrom('liaison_point_members').where('liaison_point_id', '=', id).where('enterprise_id', 'in', removed).execute();
      if (added.length) await trx.insertInto('liaison_point_members').values(added.map((enterpriseId) => ({ liaison_point_id: id, enterprise_id: enterpriseId, joined_at: at }))).execute();
      await trx.updateTable('liaison_points').set({ updated_at: at }).where('id', '=', id).execute();
      await audit.append(trx, { actor, action: 'liaison-point.members', objectType: 'liaison_point', objectId: id, ip: ctx.ip, result: 'success', detail: { added, removed } });
      return toPointDetail(trx, { ...point, updated_at: at });
    });
  }

  // Symposiums

  async function loadSymposium(executor: Executor, id: string, actor: Actor): Promise<{ row: SymposiumRow; point: PointRow }> {
    const row = await executor.selectFrom('symposiums').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound();
    return { row, point: await loadPoint(executor, row.liaison_point_id, actor) };
  }

  async function loadManagedSymposium(trx: Trx, id: string, actor: Actor) {
    const loaded = await loadSymposium(trx, id, actor);
    if (!isAreaOfficer(actor, loaded.point.region_code)) throw new AppError('FORBIDDEN');
    return loaded;
  }

  async function toSymposium(executor: Executor, row: SymposiumRow, pointName: string): Promise<Symposium> {
    const counts = await executor
      .selectFrom('symposium_attendees')
      .select((eb) => [eb.fn.countAll<number>().as('people'), eb.fn.count<number>('enterprise_id').distinct().as('enterprises')])
      .where('symposium_id', '=', row.id)
      .executeTakeFirstOrThrow();
    const suggestions = parseList<StoredSuggestion>(row.suggestions);
    return {
      id: row.id,
      liaisonPointId: row.liaison_point_id,
      liaisonPointName: pointName,
      heldOn: row.held_on,
      quarter: row.quarter,
      topic: row.topic,
      location: row.location,
      notes: row.notes,
      attendeeCount: Number(counts.people),
      enterpriseCount: Number(counts.enterprises),
      suggestionCount: suggestions.length,
      appealCount: suggestions.filter((item) => item.appealId).length,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async function toSymposiumDetail(executor: Executor, row: SymposiumRow, pointName: string): Promise<SymposiumDetail> {
    const attendees = await executor
      .selectFrom('symposium_attendees')
      .innerJoin('enterprises', 'enterprises.id', 'symposium_attendees.enterprise_id')
      .select(['enterprises.id as enterpriseId', 'enterprises.name as enterpriseName', 'symposium_attendees.person_name as personName'])
      .where('symposium_attendees.symposium_id', '=', row.id)
      .orderBy('enterprises.name')
      .orderBy('symposium_attendees.person_name')
      .execute();
    const stored = parseList<StoredSuggestion>(row.suggestions);
    const ids = [...new Set(stored.map((item) => item.enterpriseId).filter((id): id is string => Boolean(id)))];
    const names = new Map(ids.length ? (await executor.selectFrom('enterprises').select(['id', 'name']).where('id', 'in', ids).execute()).map((e) => [e.id, e.name]) : []);
    const suggestions: Suggestion[] = stored.map((item) => ({ id: item.id, enterpriseId: item.enterpriseId ?? null, enterpriseName: item.enterpriseId ? (names.get(item.enterpriseId) ?? null) : null, text: item.text, appealId: item.appealId ?? null }));
    return { ...(await toSymposium(executor, row, pointName)), attendees, suggestions };
  }

  function mergeSuggestions(existing: StoredSuggestion[], input: NonNullable<CreateSymposiumInput['suggestions']>) {
    return mergeLinkedItems<StoredSuggestion, (typeof input)[number]>(
      existing,
      input,
      'suggestions',
      (item, _previous, id) => ({ id, enterpriseId: item.enterpriseId ?? null, text: item.text, appealId: _previous?.appealId ?? null }),
      (previous, next) => previous.text === next.text && previous.enterpriseId === next.enterpriseId,
    );
  }

  async function findSymposiums(query: SymposiumListQuery, ctx: RequestContext) {
    const actor = requireActor(ctx);
    let base = db
      .selectFrom('symposiums')
      .innerJoin('liaison_points', 'liaison_points.id', 'symposiums.liaison_point_id')
      .where((eb) => visibleLiaisonPoints(actor)(eb as unknown as ExpressionBuilder<Database, 'liaison_points'>));
    if (query.liaisonPointId) base = base.where('symposiums.liaison_point_id', '=', query.liaisonPointId);
    if (query.quarter) base = base.where('symposiums.quarter', '=', query.quarter);
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll('symposiums')
      .select('liaison_points.name as point_name')
      .orderBy('symposiums.held_on', 'desc')
      .orderBy('symposiums.id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute();
    const items: Symposium[] = [];
    for (const { point_name, ...row } of rows) items.push(await toSymposium(db, row, point_name));
    return { items, total: Number(total) };
  }

  async function getSymposium(id: string, ctx: RequestContext): Promise<SymposiumDetail> {
    const actor = requireActor(ctx);
    const { row, point } = await loadSymposium(db, id, actor);
    return toSymposiumDetail(db, row, point.name);
  }

  async function createSymposium(input: CreateSymposiumInput, ctx: RequestContext): Promise<SymposiumDetail> {
    const actor = requireActor(ctx);
    const id = newId();
    const at = clock.now().toISOString();
    return db.transaction().execute(async (trx) => {
      const point = await loadManagedPoint(trx, input.liaisonPointId, actor);
      if (point.is_active !== 1) throw conflict('the liaison point is closed');
      const suggestions = mergeSuggestions([], input.suggestions ?? []).items;
      await requireVisible(trx, actor, suggestionEnterprises(suggestions));
      const row: SymposiumRow = {
        id,
        liaison_point_id: point.id,
        held_on: input.heldOn,
        quarter: quarterOf(input.heldOn),
        topic: input.topic,
        location: input.location ?? null,
        notes: input.notes ?? null,
        suggestions: JSON.stringify(suggestions),
        created_by: actor.userId,
        created_at: at,
        updated_at: at,
      };
      await trx.insertInto('symposiums').values(row).execute();
      await audit.append(trx, { actor, action: 'symposium.create', objectType: 'symposium', objectId: id, ip: ctx.ip, result: 'success', detail: { after: row } });
      return toSymposiumDetail(trx, row, point.name);
    });
  }

  async function updateSymposium(id: string, input: UpdateSymposiumInput, ctx: RequestContext): Promise<SymposiumDetail> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const { row: before, point } = await loadManagedSymposium(trx, id, actor);
      let suggestions: string | undefined;
      if (input.suggestions) {
        const merged = mergeSuggestions(parseList<StoredSuggestion>(before.suggestions), input.suggestions);
        if (merged.issues.length) throw invalidFields(merged.issues);
        await requireVisible(trx, actor, suggestionEnterprises(merged.items).filter((entry) => !merged.items[entry.index].appealId));
        suggestions = JSON.stringify(merged.items);
      }
      const next: Partial<SymposiumRow> = {
        ...(input.heldOn !== undefined ? { held_on: input.heldOn, quarter: quarterOf(input.heldOn) } : {}),
        ...(input.topic !== undefined ? { topic: input.topic } : {}),
        ...(input.location !== undefined ? { location: input.location ?? null } : {}),
        ...(input.notes !== undefined ? { notes: input.notes ?? null } : {}),
        ...(suggestions !== undefined ? { suggestions } : {}),
      };
      const changed = Object.fromEntries(Object.entries(next).filter(([key, value]) => before[key as keyof SymposiumRow] !== value));
      if (Object.keys(changed).length === 0) return toSymposiumDetail(trx, before, point.name);
      const at = clock.now().toISOString();
      await trx.updateTable('symposiums').set({ ...changed, updated_at: at }).where('id', '=', id).execute();
      const beforeValues = Object.fromEntries(Object.keys(changed).map((key) => [key, before[key as keyof SymposiumRow]]));
      await audit.append(trx, { actor, action: 'symposium.update', objectType: 'symposium', objectId: id, ip: ctx.ip, result: 'success', detail: { before: beforeValues, after: changed } });
      return toSymposiumDetail(trx, { ...before, ...changed, updated_at: at }, point.name);
    });
  }

  /** A symposium entered by mistake; one with attendance or appeals is history and stays. */
  async function deleteSymposium(id: string, ctx: RequestContext): Promise<void> {
    const actor = requireActor(ctx);
    await db.transaction().execute(async (trx) => {
      const { row } = await loadManagedSymposium(trx, id, actor);
      const attendance = await trx.selectFrom('symposium_attendees').select('enterprise_id').where('symposium_id', '=', id).limit(1).executeTakeFirst();
      if (attendance || parseList<StoredSuggestion>(row.suggestions).some((item) => item.appealId)) throw conflict('a symposium with attendance or appeals cannot be deleted');
      await trx.deleteFrom('symposiums').where('id', '=', id).execute();
      await audit.append(trx, { actor, action: 'symposium.delete', objectType: 'symposium', objectId: id, ip: ctx.ip, result: 'success', detail: { before: row } });
    });
  }

  /**
   * The attendance check-list: who came for which enterprise. Each enterprise newly attending gets a
   * `symposium.attended` entry on its file; one taken off the list gets a correction.
   */
  async function replaceAttendance(id: string, input: ReplaceAttendanceInput, ctx: RequestContext): Promise<SymposiumDetail> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const { row, point } = await loadManagedSymposium(trx, id, actor);
      const wanted = uniqueAttendees(input.attendees);
      await requireVisible(trx, actor, input.attendees.map((attendee, index) => ({ field: `attendees.${index}.enterpriseId`, id: attendee.enterpriseId })));
      const current = await trx.selectFrom('symposium_attendees').select(['enterprise_id', 'person_name']).where('symposium_id', '=', id).execute();
      const key = (enterpriseId: string, person: string) => `${enterpriseId}\u0000${person}`;
      const currentKeys = new Set(current.map((entry) => key(entry.enterprise_id, entry.person_name)));
      const wantedKeys = new Set(wanted.map((entry) => key(entry.enterpriseId, entry.personName)));
      const added = wanted.filter((entry) => !currentKeys.has(key(entry.enterpriseId, entry.personName)));
      const removed = current.filter((entry) => !wantedKeys.has(key(entry.enterprise_id, entry.person_name)));
      if (added.length === 0 && removed.length === 0) return toSymposiumDetail(trx, row, point.name);
      const at = clock.now().toISOString();
      for (const entry of removed) {
        await trx.deleteFrom('symposium_attendees').where('symposium_id', '=', id).where('enterprise_id', '=', entry.enterprise_id).where('person_name', '=', entry.person_name).execute();
      }
      if (added.length) {
        await trx.insertInto('symposium_attendees').values(added.map((entry) => ({ symposium_id: id, enterprise_id: entry.enterpriseId, person_name: entry.personName, recorded_at: at }))).execute();
      }
      const before = new Set(current.map((entry) => entry.enterprise_id));
      const after = new Map<string, string[]>();
      for (const entry of wanted) after.set(entry.enterpriseId, [...(after.get(entry.enterpriseId) ?? []), entry.personName]);
      const meeting = `${point.name}「${row.topic}」（${row.held_on}）`;
      const entries = [
        ...[...after].filter(([enterpriseId]) => !before.has(enterpriseId)).map(([enterpriseId, people]) => ({
          enterpriseId,
          type: 'symposium.attended',
          summary: `出席座谈会：${meeting}，${people.join('、')}`,
          data: { symposiumId: id, liaisonPoint: point.name, topic: row.topic, heldOn: row.held_on, people },
        })),
        ...[...before].filter((enterpriseId) => !after.has(enterpriseId)).map((enterpriseId) => ({
          enterpriseId,
          type: 'symposium.attendance-withdrawn',
          summary: `更正：未出席座谈会 ${meeting}`,
          data: { symposiumId: id, liaisonPoint: point.name, topic: row.topic, heldOn: row.held_on },
        })),
      ];
      await timeline.appendMany(trx, actor, entries);
      await trx.updateTable('symposiums').set({ updated_at: at }).where('id', '=', id).execute();
      await audit.append(trx, {
        actor,
        action: 'symposium.attendance',
        objectType: 'symposium',
        objectId: id,
        ip: ctx.ip,
        result: 'success',
        detail: { added: added.map((entry) => ({ enterpriseId: entry.enterpriseId, personName: entry.personName })), removed: removed.map((entry) => ({ enterpriseId: entry.enterprise_id, personName: entry.person_name })) },
      });
      return toSymposiumDetail(trx, { ...row, updated_at: at }, point.name);
    });
  }

  /** Remember which appeal a suggestion became (after POST /api/appeals with origin { kind: 'symposium', id }). */
  async function linkSuggestionAppeal(id: string, suggestionId: string, appealId: string, ctx: RequestContext): Promise<SymposiumDetail> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const { row, point } = await loadManagedSymposium(trx, id, actor);
      const suggestions = parseList<StoredSuggestion>(row.suggestions);
      const suggestion = suggestions.find((item) => item.id === suggestionId);
      if (!suggestion) throw notFound();
      if (suggestion.appealId === appealId) return toSymposiumDetail(trx, row, point.name);
      if (suggestion.appealId) throw conflict('this item already became another appeal');
      if (!suggestion.enterpriseId) throw invalidFields([{ field: 'appealId', message: 'choose the enterprise that made the suggestion' }]);
      await findLinkableAppeal(trx, appealId, { enterpriseId: suggestion.enterpriseId, kind: 'symposium', id });
      if (suggestions.some((item) => item.appealId === appealId)) throw conflict('the appeal is already linked to another item');
      const next = suggestions.map((item) => (item.id === suggestionId ? { ...item, appealId } : item));
      const at = clock.now().toISOString();
      await trx.updateTable('symposiums').set({ suggestions: JSON.stringify(next), updated_at: at }).where('id', '=', id).execute();
      await audit.append(trx, { actor, action: 'symposium.suggestion.link-appeal', objectType: 'symposium', objectId: id, ip: ctx.ip, result: 'success', detail: { suggestionId, appealId, text: suggestion.text } });
      return toSymposiumDetail(trx, { ...row, suggestions: JSON.stringify(next), updated_at: at }, point.name);
    });
  }

  return {
    findLiaisonPoints,
    getLiaisonPoint,
    revealContact,
    createLiaisonPoint,
    updateLiaisonPoint,
    replaceMembers,
    findSymposiums,
    getSymposium,
    createSymposium,
    updateSymposium,
    deleteSymposium,
    replaceAttendance,
    linkSuggestionAppeal,
  };
}

function suggestionEnterprises(suggestions: StoredSuggestion[]) {
  return suggestions.flatMap((item, index) => (item.enterpriseId ? [{ field: `suggestions.${index}.enterpriseId`, id: item.enterpriseId, index }] : []));
}

function uniqueAttendees(attendees: ReplaceAttendanceInput['attendees']) {
  const seen = new Set<string>();
  return attendees.filter((entry) => {
    const key = `${entry.enterpriseId}\u0000${entry.personName}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type LiaisonService = ReturnType<typeof createLiaisonService>;
