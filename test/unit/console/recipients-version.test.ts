import { recipientsVersion } from '../../../console/src/pages/campaigns/recipients-version';

const funnel = { jobs: 4, pending: 1, sent: 3, delivered: 2, read: 0, failed: 0, unknown: 0, skippedAtSend: { quiet_hours: 1, opted_out: 2 }, complete: true, source: 'records' as const };
const counts = { audience: 6, enqueued: 4, notDue: 0, skipped: { no_window: 1, opted_out: 1 } };

describe("when the occurrence page reads its recipient list again", () => {
  it('stays put for a poll that found the same counts, whatever else the answer carries', () => {
    const before = recipientsVersion({ funnel, counts });
    const snapshot = { ...funnel, source: 'snapshot' as const, asOf: '2026-05-17T14:00:02.000Z', complete: false, skippedAtSend: { opted_out: 2, quiet_hours: 1 } };
    expect(recipientsVersion({ funnel: snapshot, counts: { ...counts, skipped: { opted_out: 1, no_window: 1 } } })).toBe(before);
  });

  it('moves when a send moved on, or the planner queued or skipped someone', () => {
    const before = recipientsVersion({ funnel, counts });
    expect(recipientsVersion({ funnel: { ...funnel, read: 1 }, counts })).not.toBe(before);
    expect(recipientsVersion({ funnel: { ...funnel, skippedAtSend: { quiet_hours: 2, opted_out: 2 } }, counts })).not.toBe(before);
    expect(recipientsVersion({ funnel, counts: { ...counts, enqueued: 5 } })).not.toBe(before);
    expect(recipientsVersion({ funnel, counts: { ...counts, skipped: { no_window: 2, opted_out: 1 } } })).not.toBe(before);
  });
});
