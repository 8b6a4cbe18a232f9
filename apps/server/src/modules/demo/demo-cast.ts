// Who plays the demo history: the accounts the script names (officers, the leader, each unit's handler, the
// enterprises' managers and instructors) and the ids of the enterprises and units, read from the loaded world.

import type { CreateAppealInput, Role } from '@qinqing/contracts';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db/database.js';
import { demoStaff } from './demo-accounts.js';
import type { AppealPlan, Step, Story } from './demo-appeal-plan.js';
import type { UnitKey } from './demo-appeal-templates.js';
import type { DemoWorld } from './demo-world.js';

interface Person {
  id: string;
  username: string;
  organisation_id: string | null;
  region_code: string | null;
}

/** Accounts with their organisation's region, as the access rules see them. */
function people(db: Db) {
  return db.selectFrom('users').leftJoin('organisations', 'organisations.id', 'users.organisation_id').select(['users.id', 'users.username', 'users.organisation_id', 'organisations.region_code']);
}

/** Read everyone and everything the plan names, in a few queries (500 enterprises a statement). */
export async function castOf(db: Db, world: DemoWorld, plan: AppealPlan) {
  const handlerOf = new Map<string, string>(demoStaff.filter((member) => member.role === 'handler').map((member) => [member.organisation, member.username]));
  handlerOf.set('power', 'handler');
  const officers = ['officer', ...demoStaff.filter((member) => member.role === 'officer').map((member) => member.username)];
  const usernames = [...officers, 'leader', ...handlerOf.values()];
  const accounts = new Map((await people(db).where('users.username', 'in', usernames).execute()).map((person) => [person.username, person]));

  const organisations = await db.selectFrom('organisations').select(['id', 'name']).where('name', 'in', world.organisations.map((org) => org.name)).execute();
  const organisationId = new Map(world.organisations.map((org) => [org.key, organisations.find((row) => row.name === org.name)?.id]));

  const indices = [
    ...new Set([
      ...plan.stories.map((story) => story.enterpriseIndex),
      ...plan.visits.map((visit) => visit.enterpriseIndex),
      ...plan.points.flatMap((point) => point.members),
      ...plan.symposiums.flatMap((symposium) => symposium.attendees.map((attendee) => attendee.enterpriseIndex)),
    ]),
  ];
  const codes = new Map(indices.map((index) => [world.enterprise(index).creditCode, index]));
  const enterpriseId = new Map<number, string>();
  const managers = new Map<string, Person[]>();
  const instructors = new Map<string, Person>();
  for (let start = 0; start < indices.length; start += 500) {
    const chunk = indices.slice(start, start + 500).map((index) => world.enterprise(index).creditCode);
    const rows = await db.selectFrom('enterprises').select(['id', 'credit_code']).where('credit_code', 'in', chunk).execute();
    for (const row of rows) enterpriseId.set(codes.get(row.credit_code)!, row.id);
    const ids = rows.map((row) => row.id);
    const bound = await people(db).innerJoin('enterprise_managers', 'enterprise_managers.user_id', 'users.id').select('enterprise_managers.enterprise_id as of').where('enterprise_managers.enterprise_id', 'in', ids).execute();
    for (const person of bound) managers.set(person.of, [...(managers.get(person.of) ?? []), person]);
    const assigned = await people(db).innerJoin('enterprise_instructors', 'enterprise_instructors.user_id', 'users.id').select('enterprise_instructors.enterprise_id as of').where('enterprise_instructors.enterprise_id', 'in', ids).execute();
    for (const person of assigned) instructors.set(person.of, person);
  }
  for (const list of managers.values()) list.sort((a, b) => a.username.localeCompare(b.username));

  const account = (username: string) => {
    const person = accounts.get(username);
    if (!person) throw new Error(`demo account ${username} is missing`);
    return person;
  };
  const actor = (person: Person, role: Role): Actor => ({ userId: person.id, username: person.username, roles: [role], organisationId: person.organisation_id, regionCode: person.region_code, via: 'session', pending: null });
  const enterprise = (index: number) => {
    const id = enterpriseId.get(index);
    if (!id) throw new Error(`enterprise ${index} is missing`);
    return id;
  };
  const officer = (k: number) => actor(account(officers[k]), 'officer');
  const instructorOf = (index: number) => actor(instructors.get(enterprise(index))!, 'instructor');
  const manager = (story: Story) => {
    const bound = managers.get(enterprise(story.enterpriseIndex)) ?? [];
    const chosen = story.managerPick === null ? bound.find((person) => person.username === 'enterprise') : bound[story.managerPick % Math.max(1, bound.length)];
    if (!chosen) throw new Error(`enterprise ${story.enterpriseIndex} has no manager`);
    return actor(chosen, 'enterprise');
  };

  return {
    enterprise,
    unit(key: UnitKey): string {
      const id = organisationId.get(key);
      if (!id) throw new Error(`unit ${key} is missing`);
      return id;
    },
    /** Who takes a step: the submitter, the unit's handler, an officer, the leader, the visitor. */
    actorFor(step: Exclude<Step, { do: 'sweep' }>): Actor {
      switch (step.do) {
        case 'submit': {
          const story = plan.stories[step.story];
          if (story.channel === 'web') return manager(story);
          if (story.channel === 'visit') return instructorOf(story.enterpriseIndex);
          return officer(0);
        }
        case 'sign':
        case 'return':
        case 'pause':
        case 'resume':
        case 'requestExtension':
        case 'answer':
          return actor(account(handlerOf.get(step.unit)!), 'handler');
        case 'supervise':
          return actor(account('leader'), 'leader');
        case 'rate': {
          const story = plan.stories[step.story];
          return story.rater === 'enterprise' ? manager(story) : officer(step.officer);
        }
        case 'visit':
        case 'planVisit':
        case 'recordVisit':
        case 'cancelVisit':
        case 'linkVisit': {
          const visit = plan.visits[step.visit];
          return visit.visitor.kind === 'instructor' ? instructorOf(visit.enterpriseIndex) : officer(visit.visitor.officer);
        }
        case 'liaisonPoint':
        case 'symposium':
        case 'attendance':
        case 'linkSuggestion':
          return officer(0);
        default:
          return officer(step.officer);
      }
    },
    /** The appeal as its submitter fills it in; a call to the hotline names the caller. */
    submission(story: Story, origin?: { kind: 'visit' | 'symposium'; id: string }): CreateAppealInput {
      const input: CreateAppealInput = { enterpriseId: enterprise(story.enterpriseIndex), categoryCode: story.category, title: story.title, description: story.description, urgency: story.urgency };
      if (story.channel === 'hotline') {
        const contact = world.enterprise(story.enterpriseIndex).contacts[0];
        return { ...input, origin: { kind: 'hotline' }, contactName: contact.name, contactPhone: contact.phone };
      }
      if (origin) return { ...input, origin };
      return input;
    },
  };
}
