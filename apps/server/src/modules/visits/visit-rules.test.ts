import { quarterOf } from '@qinqing/contracts';
import { describe, expect, it } from 'vitest';
import { addDays, chinaToday, mayCancel, mayEdit, mayRecord, mergeFollowUps, mergeLinkedItems } from './visit-rules.js';

describe('visit rules', () => {
  it('a plan may be recorded or cancelled, a record only edited, a cancelled plan nothing', () => {
    expect([mayRecord('planned'), mayCancel('planned'), mayEdit('planned')]).toEqual([true, true, true]);
    expect([mayRecord('done'), mayCancel('done'), mayEdit('done')]).toEqual([false, false, true]);
    expect([mayRecord('cancelled'), mayCancel('cancelled'), mayEdit('cancelled')]).toEqual([false, false, false]);
  });

  it('days are China days and move across months and leap years', () => {
    expect(chinaToday(new Date('2026-11-24T16:30:00Z'))).toBe('2026-11-25');
    expect(chinaToday(new Date('2026-11-24T15:59:00Z'))).toBe('2026-11-24');
    expect(addDays('2028-02-27', 2)).toBe('2028-02-29');
    expect(addDays('2026-01-03', -7)).toBe('2025-12-27');
    expect([quarterOf('2026-01-01'), quarterOf('2026-03-31'), quarterOf('2026-08-14'), quarterOf('2026-12-31')]).toEqual(['2026Q1', '2026Q1', '2026Q3', '2026Q4']);
  });

  const build = (item: { text: string }, previous: { appealId: string | null } | undefined, id: string) => ({ id, text: item.text, appealId: previous?.appealId ?? null });

  it('items keep their ids, new ones get fresh ids, and a linked item can be neither changed nor removed', () => {
    const existing = [
      { id: 'a', text: '电力线迁改', appealId: 'appeal-1' },
      { id: 'b', text: '招工难', appealId: null },
    ];
    const kept = mergeLinkedItems(existing, [{ id: 'b', text: '招工难，缺熟练工' }, { id: 'a', text: '电力线迁改' }, { text: '新问题' }], 'problems', build);
    expect(kept.issues).toEqual([]);
    expect(kept.items.map((item) => [item.id, item.text, item.appealId])).toEqual([
      ['b', '招工难，缺熟练工', null],
      ['a', '电力线迁改', 'appeal-1'],
      [expect.any(String), '新问题', null],
    ]);
    expect(new Set(kept.items.map((item) => item.id)).size).toBe(3);

    expect(mergeLinkedItems(existing, [{ id: 'a', text: '改了' }], 'problems', build).issues).toEqual([{ field: 'problems.0.text', message: 'it became an appeal and cannot be changed' }]);
    expect(mergeLinkedItems(existing, [{ id: 'b', text: '招工难' }], 'problems', build).issues).toEqual([{ field: 'problems', message: 'an item that became an appeal cannot be removed' }]);
    // An id sent twice, or one that is not in the list, does not borrow another item's appeal.
    const twice = mergeLinkedItems(existing, [{ id: 'a', text: '电力线迁改' }, { id: 'a', text: '电力线迁改' }], 'problems', build);
    expect(twice.items[1]).toMatchObject({ appealId: null });
    expect(twice.items[1].id).not.toBe('a');
  });

  it('follow-ups are stamped when ticked, keep the stamp while ticked, and lose it when unticked', () => {
    const first = mergeFollowUps([], [{ text: '联系供电公司', dueOn: '2026-12-01' }], 'T1');
    expect(first[0]).toMatchObject({ done: false, doneAt: null, dueOn: '2026-12-01' });
    const ticked = mergeFollowUps(first, [{ id: first[0].id, text: '联系供电公司', done: true }], 'T2');
    expect(ticked[0]).toMatchObject({ id: first[0].id, done: true, doneAt: 'T2' });
    expect(mergeFollowUps(ticked, [{ id: first[0].id, text: '联系供电公司' }], 'T3')[0]).toMatchObject({ done: true, doneAt: 'T2' });
    expect(mergeFollowUps(ticked, [{ id: first[0].id, text: '联系供电公司', done: false }], 'T4')[0]).toMatchObject({ done: false, doneAt: null });
  });
});
