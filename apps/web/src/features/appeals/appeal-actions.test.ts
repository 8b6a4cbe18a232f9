import { describe, expect, it } from 'vitest';
import { actionBody, actionPath, availableActions, dispatchBody, isDanger, splitActions, syncDispatchRows } from './appeal-actions';

describe('appeal buttons from allowedActions', () => {
  it('turns case and part actions into buttons, the next step of the loop first', () => {
    const actions = availableActions(['decline', 'merge', 'accept'], ['appeals:manage']);
    expect(actions).toEqual([
      { kind: 'accept', partId: null },
      { kind: 'merge', partId: null },
      { kind: 'decline', partId: null },
    ]);
    expect(availableActions(['return:p1', 'sign:p1', 'sign:p2'], ['appeals:handle'])).toEqual([
      { kind: 'sign', partId: 'p1' },
      { kind: 'sign', partId: 'p2' },
      { kind: 'return', partId: 'p1' },
    ]);
    expect(availableActions(['request_extension:p1', 'decide_extension:p2', 'answer:p1'], [])).toEqual([
      { kind: 'answer', partId: 'p1' },
      { kind: 'decideExtension', partId: 'p2' },
      { kind: 'requestExtension', partId: 'p1' },
    ]);
  });

  it('sends an officer’s rate to the return-call endpoint and the enterprise’s to its own', () => {
    expect(availableActions(['rate'], ['appeals:rate', 'appeals:read'])).toEqual([{ kind: 'rate', partId: null }]);
    expect(availableActions(['rate', 'archive'], ['appeals:manage'])).toEqual([
      { kind: 'callbackRating', partId: null },
      { kind: 'archive', partId: null },
    ]);
    expect(actionPath('a1', { kind: 'callbackRating', partId: null })).toBe('/api/appeals/a1/callback-rating');
    expect(actionPath('a1', { kind: 'rate', partId: null })).toBe('/api/appeals/a1/rate');
  });

  it('ignores what it does not know, system steps, and part actions without a part (or the reverse)', () => {
    expect(availableActions(['redo', 'report', 'fly', 'sign', 'accept:p1', 'answer:p1:x', '', 'sign:p1', 'sign:p1'], ['appeals:handle'])).toEqual([{ kind: 'sign', partId: 'p1' }]);
  });

  it('groups part buttons by part', () => {
    const { appeal, parts } = splitActions(availableActions(['urge', 'decide_extension:p2', 'dispatch', 'sign:p1'], ['appeals:manage']));
    expect(appeal.map((action) => action.kind)).toEqual(['dispatch', 'urge']);
    expect(parts.get('p1')).toEqual([{ kind: 'sign', partId: 'p1' }]);
    expect(parts.get('p2')).toEqual([{ kind: 'decideExtension', partId: 'p2' }]);
  });

  it('posts each action to its endpoint', () => {
    expect(actionPath('a b', { kind: 'accept', partId: null })).toBe('/api/appeals/a%20b/accept');
    expect(actionPath('a1', { kind: 'requestExtension', partId: 'p1' })).toBe('/api/appeals/a1/parts/p1/extension');
    expect(actionPath('a1', { kind: 'decideExtension', partId: 'p1' })).toBe('/api/appeals/a1/parts/p1/extension/decision');
    expect(actionPath('a1', { kind: 'return', partId: 'p1' })).toBe('/api/appeals/a1/parts/p1/return');
    expect(actionPath('a1', { kind: 'withdraw', partId: 'p1' })).toBe('/api/appeals/a1/parts/p1/withdraw');
  });

  it('offers the officer 撤回 on each open part, after the unit’s own steps, as a refusal needing a reason', () => {
    const { parts } = splitActions(availableActions(['withdraw:p1', 'dispatch', 'withdraw:p2', 'decide_extension:p2'], ['appeals:manage']));
    expect(parts.get('p1')).toEqual([{ kind: 'withdraw', partId: 'p1' }]);
    expect(parts.get('p2')).toEqual([{ kind: 'decideExtension', partId: 'p2' }, { kind: 'withdraw', partId: 'p2' }]);
    expect(availableActions(['withdraw'], ['appeals:manage'])).toEqual([]);
    expect(isDanger('withdraw')).toBe(true);
    expect(actionBody('withdraw', 7, { reason: ' 交办单位有误 ' })).toEqual({ version: 7, reason: '交办单位有误' });
  });
});

describe('action bodies', () => {
  it('always carries the version and only the action’s fields, trimmed', () => {
    expect(actionBody('accept', 3, { reason: 'x' })).toEqual({ version: 3 });
    expect(actionBody('decline', 2, { reason: '  重复提交 ', answer: 'no' })).toEqual({ version: 2, reason: '重复提交' });
    expect(actionBody('requestExtension', 5, { days: 10, reason: '需统筹' })).toEqual({ version: 5, days: 10, reason: '需统筹' });
    expect(actionBody('decideExtension', 6, { approve: false })).toEqual({ version: 6, approve: false });
  });

  it('leaves out optional text left empty, but sends required text for the server to name', () => {
    expect(actionBody('rate', 4, { rating: 'satisfied', comment: '   ' })).toEqual({ version: 4, rating: 'satisfied' });
    expect(actionBody('urge', 4, {})).toEqual({ version: 4 });
    expect(actionBody('supervise', 4, { instruction: ' ' })).toEqual({ version: 4, instruction: '' });
  });

  it('builds the dispatch parts and keeps one lead unit on a first dispatch', () => {
    expect(dispatchBody(2, [{ organisationId: 'o1', part: ' 迁改线路 ', days: 5, isLead: true }, { organisationId: 'o2', part: '', days: null }])).toEqual({
      version: 2,
      parts: [
        { organisationId: 'o1', part: '迁改线路', days: 5, isLead: true },
        { organisationId: 'o2', part: null, days: null, isLead: false },
      ],
    });
    const first = syncDispatchRows([], ['o1', 'o2'], 7, false);
    expect(first).toEqual([
      { organisationId: 'o1', part: null, days: 7, isLead: true },
      { organisationId: 'o2', part: null, days: 7, isLead: false },
    ]);
    const edited = [{ ...first[0], isLead: false }, { ...first[1], part: '宿舍用电', days: 3, isLead: true }];
    expect(syncDispatchRows(edited, ['o2', 'o3'], 7, false)).toEqual([
      { organisationId: 'o2', part: '宿舍用电', days: 3, isLead: true },
      { organisationId: 'o3', part: null, days: 7, isLead: false },
    ]);
    // One more unit joining (会办): the lead is already among the active parts.
    expect(syncDispatchRows([], ['o4'], 5, true)).toEqual([{ organisationId: 'o4', part: null, days: 5, isLead: false }]);
  });
});
