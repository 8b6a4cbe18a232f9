import type { AppealPart } from '@qinqing/contracts';
import { describe, expect, it } from 'vitest';
import { caseDeadline, chinaToday, eventColor, eventLines, hasTodo, todoFirst } from './appeal-model';

const part = (overrides: Partial<AppealPart>): AppealPart => ({
  id: 'p',
  organisationId: 'o',
  organisationName: '供电所',
  organisationKind: 'outside_unit',
  part: null,
  isLead: true,
  status: 'dispatched',
  dispatchedAt: '2025-09-26T02:00:00.000Z',
  signedAt: null,
  answeredAt: null,
  answer: null,
  dueDate: '2025-10-10',
  dueEstimated: false,
  pausedSince: null,
  pausedDays: 0,
  extensionRequest: null,
  returnCount: 0,
  overdue: false,
  attachments: [],
  ...overrides,
});

describe('the case deadline', () => {
  it('is the earliest open part’s, marked 预计 when that part’s date is estimated', () => {
    expect(caseDeadline({ dueDate: null, parts: [] })).toBeNull();
    expect(caseDeadline({ dueDate: '2025-10-10', parts: [part({})] })).toEqual({ date: '2025-10-10', estimated: false });
    expect(
      caseDeadline({
        dueDate: '2027-01-08',
        parts: [part({ id: 'a', dueDate: '2027-01-08', dueEstimated: true }), part({ id: 'b', dueDate: '2027-01-12', dueEstimated: false })],
      }),
    ).toEqual({ date: '2027-01-08', estimated: true });
    // An answered part's estimate no longer matters.
    expect(caseDeadline({ dueDate: '2027-01-12', parts: [part({ status: 'answered', dueDate: '2027-01-12', dueEstimated: true }), part({ dueDate: '2027-01-12' })] })).toEqual({ date: '2027-01-12', estimated: false });
  });
});

describe('what waits for whom', () => {
  it('gives a 待办 block to those whose step something can wait for, not to readers', () => {
    expect(hasTodo(['appeals:read', 'appeals:manage', 'appeals:submit'])).toBe(true);
    expect(hasTodo(['appeals:read', 'appeals:handle'])).toBe(true);
    expect(hasTodo(['appeals:read', 'appeals:submit', 'appeals:rate'])).toBe(true);
    expect(hasTodo(['appeals:read', 'appeals:kpi', 'appeals:supervise'])).toBe(true);
    expect(hasTodo(['appeals:read', 'appeals:kpi'])).toBe(false);
    expect(hasTodo(['appeals:read', 'appeals:submit'])).toBe(false);
  });

  it('puts 待签收 and 待受理 on top of the 待办, keeping the newest-first order otherwise', () => {
    const items = [
      { id: 'a', status: 'in_progress' as const },
      { id: 'b', status: 'dispatched' as const },
      { id: 'c', status: 'answered' as const },
      { id: 'd', status: 'dispatched' as const },
      { id: 'e', status: 'pending' as const },
    ];
    expect(todoFirst(items).map((item) => item.id)).toEqual(['b', 'd', 'e', 'a', 'c']);
  });

  it('orders a handling unit’s 待办 by its own part: 待签收 first, then 办理中, each by deadline', () => {
    const items = [
      { id: 'signed-late', status: 'in_progress' as const, myPartStatus: 'signed' as const, dueDate: '2026-12-10' },
      // The case is 办理中 (another unit signed), but this unit has still to sign for its part.
      { id: 'to-sign-joint', status: 'in_progress' as const, myPartStatus: 'dispatched' as const, dueDate: '2026-12-08' },
      { id: 'signed-soon', status: 'in_progress' as const, myPartStatus: 'signed' as const, dueDate: '2026-12-01' },
      { id: 'to-sign', status: 'dispatched' as const, myPartStatus: 'dispatched' as const, dueDate: '2026-12-03' },
      { id: 'signed-no-date', status: 'in_progress' as const, myPartStatus: 'signed' as const, dueDate: null },
      { id: 'answered', status: 'in_progress' as const, myPartStatus: 'answered' as const, dueDate: '2026-11-30' },
    ];
    expect(todoFirst(items).map((item) => item.id)).toEqual(['to-sign', 'to-sign-joint', 'signed-soon', 'signed-late', 'signed-no-date', 'answered']);
  });
});

describe('history lines', () => {
  it('names the reason, the deadline, the answer and the rating of each step', () => {
    expect(eventLines({ action: 'submit', data: { categoryCode: 'utilities', origin: 'web' } })).toEqual([
      { key: 'category', values: { code: 'utilities' } },
      { key: 'origin', values: { kind: 'web' } },
    ]);
    expect(eventLines({ action: 'decline', data: { reason: '属于诉讼事项' } })).toEqual([{ key: 'reason', values: { text: '属于诉讼事项' } }]);
    expect(eventLines({ action: 'dispatch', data: { days: 5, dueDate: '2025-10-10', estimated: false, part: '线路迁改' } })).toEqual([
      { key: 'part', values: { text: '线路迁改' } },
      { key: 'due', values: { date: '2025-10-10', days: '5' } },
    ]);
    expect(eventLines({ action: 'dispatch', data: { days: 5, dueDate: '2027-01-08', estimated: true, part: null } })).toEqual([{ key: 'dueEstimated', values: { date: '2027-01-08', days: '5' } }]);
    expect(eventLines({ action: 'answer', data: { answer: '已迁改', dueDate: '2025-10-10', onTime: false } })).toEqual([
      { key: 'answer', values: { text: '已迁改' } },
      { key: 'late', values: { date: '2025-10-10' } },
    ]);
    expect(eventLines({ action: 'rate', data: { rating: 'satisfied', comment: '很及时', via: 'callback' } })).toEqual([
      { key: 'rating', values: { rating: 'satisfied' } },
      { key: 'viaCallback' },
      { key: 'comment', values: { text: '很及时' } },
    ]);
    expect(eventLines({ action: 'decide_extension', data: { approve: true, days: 15, dueDate: '2026-06-01', comment: null } })).toEqual([{ key: 'extensionApproved', values: { days: '15', date: '2026-06-01' } }]);
    expect(eventLines({ action: 'decide_extension', data: { approve: false, days: 15, dueDate: '2026-05-11', comment: '理由不足' } })).toEqual([
      { key: 'extensionRefused' },
      { key: 'comment', values: { text: '理由不足' } },
    ]);
    expect(eventLines({ action: 'urge', data: { automatic: true, dueDate: '2025-10-11' } })).toEqual([{ key: 'automatic', values: { date: '2025-10-11' } }]);
    expect(eventLines({ action: 'merge', data: { intoId: 'x', intoNumber: 'SQ2025-000002' } })).toEqual([{ key: 'mergedInto', values: { number: 'SQ2025-000002' } }]);
    expect(eventLines({ action: 'sign', data: null })).toEqual([]);
  });

  it('colours refusals and 不满意 red and the end of the loop green', () => {
    expect(eventColor({ action: 'return', data: { reason: 'x' } })).toBe('red');
    expect(eventColor({ action: 'rate', data: { rating: 'dissatisfied' } })).toBe('red');
    expect(eventColor({ action: 'rate', data: { rating: 'basically_satisfied' } })).toBe('green');
    expect(eventColor({ action: 'answer', data: { onTime: false } })).toBe('orange');
    expect(eventColor({ action: 'sign', data: null })).toBe('blue');
  });
});

describe('China today', () => {
  it('is the date in UTC+8, whatever the viewer’s zone', () => {
    expect(chinaToday(new Date('2025-09-30T15:59:59Z'))).toBe('2025-09-30');
    expect(chinaToday(new Date('2025-09-30T16:00:00Z'))).toBe('2025-10-01');
  });
});
