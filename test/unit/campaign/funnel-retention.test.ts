/**
 * Interface under test: an occurrence's report (createCampaignService().occurrence) once the outbox
 * records it counts have expired (issue 11, item 8): the occurrence keeps its counts.
 */
import { createCampaignService } from '../../../lambdas/campaign/campaign-service';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts } from '../../helpers/recording-store';
import { PHONE } from '../../helpers/sample-ids';
import { FixedAudience, MemoryCampaignStore, MemoryOccurrenceStore, PeopleStore, RecordingDispatchQueue, RecordingScheduler, occurrence } from './fakes';

const ID = 'weekly-deals';
const KEY = '2026-05-18T08:00:00.000Z';
const T0 = Date.parse(KEY);
const DAY = 24 * 3600 * 1000;

const intent = (userId: string): SendIntent => ({
  channel: 'whatsapp',
  accountId: PHONE,
  userId,
  kind: 'marketing',
  author: 'bot',
  content: { type: 'template', name: 'weekly_deals', language: 'de' },
});

const setup = async () => {
  const time = { now: T0 + 60_000 };
  const outbox = new MemoryOutbox();
  const occurrences = new MemoryOccurrenceStore([occurrence(ID, KEY, { counts: { audience: 5, enqueued: 4, notDue: 0, skipped: { quiet_hours: 1 } } })]);
  const service = createCampaignService({
    campaigns: new MemoryCampaignStore([]),
    occurrences,
    audience: new FixedAudience([]),
    store: new PeopleStore([]),
    accounts: new FixedAccounts([]),
    outbox,
    continuations: new RecordingDispatchQueue(),
    clock: () => time.now,
    scheduler: new RecordingScheduler([]),
  });
  // Four jobs of the occurrence: three sent, one failed.
  const outcomes = ['sent', 'sent', 'sent', 'failed'] as const;
  for (const [i, outcome] of outcomes.entries()) {
    const { record } = await outbox.create({ idempotencyKey: `${ID}#${KEY}#${i}`, intent: intent(`49151000000${i}`), now: T0, group: `${ID}#${KEY}` });
    const claim = await outbox.claim(record.outboxId, T0 + 1000, 120_000);
    if (!claim.claimed) throw new Error('not claimed');
    await outbox.finish(
      record.outboxId,
      claim.claimToken,
      T0 + 2000,
      outcome === 'sent' ? { status: 'sent', messageId: `wamid.${i}` } : { status: 'failed', errorCode: 131026, reason: 'undeliverable' },
    );
  }
  return { service, outbox, occurrences, time };
};

const COUNTS = { jobs: 4, pending: 0, sent: 3, delivered: 0, read: 0, failed: 1, skippedAtSend: {}, unknown: 0 };

describe('an occurrence report after its outbox records expired', () => {
  it('still shows the counts once every outbox record is deleted, as the snapshot of its last complete count', async () => {
    const { service, outbox, time } = await setup();
    const readAt = time.now;
    expect((await service.occurrence(ID, KEY)).funnel).toEqual({ ...COUNTS, complete: true, source: 'records' });

    // 90 days on, DynamoDB's TTL has deleted the records.
    time.now += 91 * DAY;
    outbox.records.clear();
    const report = await service.occurrence(ID, KEY);

    expect(report.funnel).toEqual({ ...COUNTS, complete: true, source: 'snapshot', asOf: readAt });
    // The dispatch counts live on the occurrence itself, which has no TTL.
    expect(report.occurrence.counts).toEqual({ audience: 5, enqueued: 4, notDue: 0, skipped: { quiet_hours: 1 } });
  });

  it('answers the snapshot while only some records are gone, and never overwrites it with the smaller count', async () => {
    const { service, outbox, occurrences, time } = await setup();
    await service.occurrence(ID, KEY);
    const [first, second] = [...outbox.records.keys()];
    outbox.records.delete(first as string);
    outbox.records.delete(second as string);
    time.now += DAY;

    expect((await service.occurrence(ID, KEY)).funnel).toMatchObject({ ...COUNTS, source: 'snapshot' });
    expect((await occurrences.get(ID, KEY))?.funnel).toMatchObject({ jobs: 4, sent: 3, failed: 1 });
  });

  it('keeps the latest complete count: a delivery reported later replaces the snapshot', async () => {
    const { service, outbox, time } = await setup();
    await service.occurrence(ID, KEY);
    const sent = [...outbox.records.values()].find((r) => r.status === 'sent');
    if (!sent) throw new Error('no sent record');
    sent.delivery = { status: 'delivered', at: T0 + 5000 };
    time.now += DAY;
    const readAt = time.now;
    await service.occurrence(ID, KEY);

    outbox.records.clear();
    time.now += 90 * DAY;

    expect((await service.occurrence(ID, KEY)).funnel).toEqual({ ...COUNTS, delivered: 1, complete: true, source: 'snapshot', asOf: readAt });
  });
});
