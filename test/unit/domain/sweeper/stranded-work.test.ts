import { deadLetteredJobAction, strandedJobAction } from '../../../../lambdas/domain/sweeper/stranded-job';
import { isStuck } from '../../../../lambdas/domain/sweeper/stranded-occurrence';

const NOW = Date.UTC(2026, 4, 17, 12);
const SETTINGS = { graceMs: 60_000, maxBackoffMs: 600_000 };

describe('strandedJobAction', () => {
  it('re-enqueues a queued job and looks again two graces later (the query adds one)', () => {
    expect(strandedJobAction({ status: 'queued' }, NOW, SETTINGS)).toEqual({ action: 'requeue', nextDueAt: NOW + 60_000 });
  });

  it('doubles the wait with every earlier re-enqueue, up to the longest wait', () => {
    const nextLook = (sweeps: number) => {
      const action = strandedJobAction({ status: 'queued', sweeps }, NOW, SETTINGS);
      return action.action === 'requeue' ? action.nextDueAt + SETTINGS.graceMs - NOW : undefined;
    };
    expect([0, 1, 2, 3, 4, 10].map(nextLook)).toEqual([120_000, 240_000, 480_000, 600_000, 600_000, 600_000]);
  });

  it('waits for a live claim, in its send step or not: looks again at its deadline (the query adds the grace)', () => {
    for (const sendingAt of [undefined, NOW - 1]) {
      expect(strandedJobAction({ status: 'claimed', claimUntil: NOW + 1, sendingAt }, NOW, SETTINGS)).toEqual({ action: 'postpone', dueAt: NOW + 1 });
      expect(strandedJobAction({ status: 'claimed', claimUntil: NOW - 60_000, sendingAt }, NOW, SETTINGS)).toEqual({ action: 'postpone', dueAt: NOW - 60_000 });
    }
  });

  it('acts on a claim once its deadline is more than a grace ago', () => {
    expect(strandedJobAction({ status: 'claimed', claimUntil: NOW - 60_001 }, NOW, SETTINGS)).toMatchObject({ action: 'requeue' });
    expect(strandedJobAction({ status: 'claimed', claimUntil: NOW - 60_001, sendingAt: NOW - 1 }, NOW, SETTINGS)).toMatchObject({ action: 'end', status: 'unknown' });
  });

  it('re-enqueues a claim that never began its send step: the sender takes the stale claim over', () => {
    expect(strandedJobAction({ status: 'claimed' }, NOW, SETTINGS)).toMatchObject({ action: 'requeue' });
  });

  it('never resends a claim whose send step began: it ends unknown (one of the previous release, with no deadline stored, only listed once stale)', () => {
    expect(strandedJobAction({ status: 'claimed', sendingAt: NOW - 1 }, NOW, SETTINGS)).toEqual({ action: 'end', status: 'unknown', reason: 'sender_stopped_during_send' });
  });

  it.each(['sent', 'delivered', 'read', 'failed', 'skipped', 'unknown'] as const)('leaves a %s job alone', (status) => {
    expect(strandedJobAction({ status, sendingAt: NOW }, NOW, SETTINGS)).toEqual({ action: 'none' });
  });
});

describe('deadLetteredJobAction', () => {
  it('ends a dead-lettered job that never called Meta failed, queued or claimed', () => {
    expect(deadLetteredJobAction({ status: 'queued' })).toEqual({ action: 'end', status: 'failed', reason: 'dead_lettered' });
    expect(deadLetteredJobAction({ status: 'claimed' })).toEqual({ action: 'end', status: 'failed', reason: 'dead_lettered' });
  });

  it('ends one whose send step began unknown: it may have gone out', () => {
    expect(deadLetteredJobAction({ status: 'claimed', sendingAt: NOW })).toEqual({ action: 'end', status: 'unknown', reason: 'dead_lettered_during_send' });
  });

  it('leaves one that ended', () => {
    expect(deadLetteredJobAction({ status: 'sent' })).toEqual({ action: 'none' });
  });
});

describe('isStuck', () => {
  it('is a running lease that ran out more than a grace ago', () => {
    expect(isStuck({ status: 'running', leaseUntil: NOW - 60_001 }, NOW, 60_000)).toBe(true);
    expect(isStuck({ status: 'running', leaseUntil: NOW - 60_000 }, NOW, 60_000)).toBe(false);
  });

  it('is not a lease renewed or held into the future, a finished or paused run, or nothing', () => {
    expect(isStuck({ status: 'running', leaseUntil: NOW + 1 }, NOW, 0)).toBe(false);
    expect(isStuck({ status: 'done', leaseUntil: 0 }, NOW, 0)).toBe(false);
    expect(isStuck({ status: 'paused', leaseUntil: 0 }, NOW, 0)).toBe(false);
    expect(isStuck({ status: 'running' }, NOW, 0)).toBe(false);
    expect(isStuck(undefined, NOW, 0)).toBe(false);
  });
});
