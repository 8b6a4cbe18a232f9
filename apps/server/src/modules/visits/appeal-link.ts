import type { Trx } from '../../platform/db/database.js';
import { invalidFields } from '../../platform/errors.js';

/**
 * The appeal a visit's problem or a symposium's suggestion became, read from the appeals module's table: it must
 * exist, concern the same enterprise, and — when it was raised from a visit or a symposium — name this one.
 * Throws a 400 naming `appealId` otherwise.
 */
export async function findLinkableAppeal(trx: Trx, appealId: string, expected: { enterpriseId: string; kind: 'visit' | 'symposium'; id: string }) {
  const appeal = await trx.selectFrom('appeals').select(['id', 'enterprise_id', 'origin_kind', 'origin_id']).where('id', '=', appealId).executeTakeFirst();
  if (!appeal || appeal.enterprise_id !== expected.enterpriseId) throw invalidFields([{ field: 'appealId', message: 'the appeal does not belong to this enterprise' }]);
  const fromMeeting = appeal.origin_kind === 'visit' || appeal.origin_kind === 'symposium';
  if (fromMeeting && (appeal.origin_kind !== expected.kind || appeal.origin_id !== expected.id)) {
    throw invalidFields([{ field: 'appealId', message: 'the appeal was raised from another visit or symposium' }]);
  }
  return appeal;
}
