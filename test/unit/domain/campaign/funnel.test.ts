/** Interface under test: which funnel count is kept on an occurrence, and which one a report shows (lambdas/domain/campaign/funnel.ts). */
import { type LiveFunnel, reportedFunnel, snapshotToKeep } from '../../../../lambdas/domain/campaign/funnel';

const live = (jobs: number, over: Partial<LiveFunnel> = {}): LiveFunnel => ({
  jobs,
  pending: 0,
  sent: jobs,
  delivered: 0,
  read: 0,
  failed: 0,
  skippedAtSend: {},
  unknown: 0,
  complete: true,
  ...over,
});
const counts10 = { jobs: 10, pending: 0, sent: 10, delivered: 0, read: 0, failed: 0, skippedAtSend: {}, unknown: 0 };
const stored = { ...counts10, at: 1_000 };

describe('funnel snapshots', () => {
  it('keeps a complete count with jobs, stamped with the time', () => {
    expect(snapshotToKeep(live(10), undefined, 5_000)).toEqual({ ...counts10, at: 5_000 });
  });

  it('keeps nothing from a count cut short by its time budget, or from an occurrence without jobs', () => {
    expect(snapshotToKeep(live(10, { complete: false }), undefined, 5_000)).toBeUndefined();
    expect(snapshotToKeep(live(0), undefined, 5_000)).toBeUndefined();
  });

  it('replaces a snapshot only with news: never by fewer jobs, not by the same counts (skip reasons in any order)', () => {
    expect(snapshotToKeep(live(9), stored, 5_000)).toBeUndefined();
    expect(snapshotToKeep(live(10), stored, 5_000)).toBeUndefined();
    const reasons = { skippedAtSend: { quiet_hours: 1, window_closed: 2 } };
    expect(snapshotToKeep(live(10, { skippedAtSend: { window_closed: 2, quiet_hours: 1 } }), { ...stored, ...reasons }, 5_000)).toBeUndefined();
    expect(snapshotToKeep(live(10, { sent: 9, delivered: 9 }), stored, 5_000)).toMatchObject({ delivered: 9, at: 5_000 });
    expect(snapshotToKeep(live(11), stored, 5_000)).toMatchObject({ jobs: 11 });
  });

  it('reports the live count unless the snapshot counted more jobs than the records still hold', () => {
    expect(reportedFunnel(live(10), undefined)).toEqual({ ...live(10), source: 'records' });
    expect(reportedFunnel(live(10), stored)).toEqual({ ...live(10), source: 'records' });
    expect(reportedFunnel(live(3), stored)).toEqual({ ...live(10), source: 'snapshot', asOf: 1_000 });
    expect(reportedFunnel(live(0, { complete: false }), stored)).toEqual({ ...live(10), source: 'snapshot', asOf: 1_000 });
  });
});
