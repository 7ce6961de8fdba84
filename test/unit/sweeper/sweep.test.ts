/**
 * The sweeper use case on the in-memory adapters, with an injected clock: what a crash leaves
 * pending is found through the pending-work port and finished; live work is left alone.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { InMemoryDeadLetters } from '../../../lambdas/adapters/memory/dead-letters';
import { InMemoryOccurrenceStore } from '../../../lambdas/adapters/memory/occurrence-store';
import { InMemoryOutbox } from '../../../lambdas/adapters/memory/outbox';
import { InMemoryPendingWork } from '../../../lambdas/adapters/memory/pending-work';
import type { Decision } from '../../../lambdas/domain/send/policy-types';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import type { DispatchContinuation } from '../../../lambdas/schemas/dispatcher-input';
import { CampaignSchema } from '../../../lambdas/schemas/campaign';
import { createSweeper } from '../../../lambdas/sweeper/sweep';
import { captureLogs } from '../../helpers/capture-logs';
import { loadEvent } from '../../helpers/events';

const T0 = Date.UTC(2026, 4, 17, 12);
const GRACE = 60_000;
const STALE = 120_000;
const USER = '4915100000042';
const ALLOW: Decision = { outcome: 'allow', route: 'whatsapp.template', pricing: 'utility', rule: 'whatsapp.template.any_time' };
const intent: SendIntent = { channel: 'whatsapp', accountId: '109876543210987', userId: USER, kind: 'utility', author: 'bot', content: { type: 'template', name: 'order_update', language: 'de' } };

const rig = () => {
  const now = { value: T0 };
  const outbox = new InMemoryOutbox();
  const occurrences = new InMemoryOccurrenceStore();
  const deadLetters = new InMemoryDeadLetters();
  const enqueued: string[] = [];
  const continuations: DispatchContinuation[] = [];
  const metrics: { name: string; value: number; kind?: string }[] = [];
  const fakeMetrics = {
    addMetric: (name: string, _unit: string, value: number) => void metrics.push({ name, value }),
    singleMetric: () => {
      let kind: string | undefined;
      return { addDimension: (_n: string, v: string) => void (kind = v), addMetric: (name: string, _u: string, value: number) => void metrics.push({ name, value, kind }) };
    },
  } as unknown as Metrics;
  const sweep = createSweeper({
    pending: new InMemoryPendingWork([outbox, occurrences]),
    outbox,
    occurrences,
    queue: { enqueue: (ids) => Promise.resolve(void enqueued.push(...ids)) },
    continuations: { continueLater: (message) => Promise.resolve(void continuations.push(message)) },
    deadLetters,
    clock: () => now.value,
    logger: new Logger({ serviceName: 'sweeper-test', logLevel: 'DEBUG' }),
    metrics: fakeMetrics,
    settings: { graceMs: GRACE, maxBackoffMs: 10 * GRACE },
  });
  const job = async (key: string) => (await outbox.create({ idempotencyKey: key, intent, now: now.value })).record.outboxId;
  const claim = async (id: string) => {
    const claimed = await outbox.claim(id, now.value, STALE);
    if (!claimed.claimed) throw new Error('expected a claim');
    return claimed.claimToken;
  };
  return { now, outbox, occurrences, deadLetters, enqueued, continuations, metrics, sweep, job, claim };
};

describe('sweeper', () => {
  it('leaves work alone until it is overdue by more than the grace', async () => {
    const r = rig();
    await r.job('young');
    r.now.value = T0 + GRACE;

    expect(await r.sweep()).toMatchObject({ requeued: 0, markedUnknown: 0, occurrencesResumed: 0 });
    expect(r.enqueued).toEqual([]);
  });

  it('re-enqueues a queued job whose message was lost, then waits twice as long before the next time', async () => {
    const r = rig();
    const id = await r.job('lost');
    r.now.value = T0 + GRACE + 1;

    expect(await r.sweep()).toMatchObject({ requeued: 1 });
    expect(r.enqueued).toEqual([id]);
    r.now.value += GRACE;
    await r.sweep();
    expect(r.enqueued).toEqual([id]);
    r.now.value += GRACE + 1;
    await r.sweep();
    expect(r.enqueued).toEqual([id, id]);
    expect((await r.outbox.get(id))?.sweeps).toBe(2);
  });

  it('re-enqueues a claim whose sender died before calling Meta, which a sender then takes over', async () => {
    const r = rig();
    const id = await r.job('claimed');
    await r.claim(id);
    r.now.value = T0 + STALE + GRACE + 1;

    expect(await r.sweep()).toMatchObject({ requeued: 1 });
    expect(r.enqueued).toEqual([id]);
    expect((await r.outbox.claim(id, r.now.value, STALE)).claimed).toBe(true);
  });

  it('ends unknown a claim whose sender died during the call to Meta, never resending it', async () => {
    const r = rig();
    const id = await r.job('sending');
    const token = await r.claim(id);
    await r.outbox.markSending(id, token, T0 + 1, ALLOW, 1);
    r.now.value = T0 + STALE + GRACE + 1;

    expect(await r.sweep()).toMatchObject({ requeued: 0, markedUnknown: 1 });
    expect(r.enqueued).toEqual([]);
    expect(await r.outbox.get(id)).toMatchObject({ status: 'unknown', reason: 'sender_stopped_during_send' });
    expect(r.metrics).toContainEqual({ name: 'StrandedWorkRecovered', value: 1, kind: 'marked_unknown' });
  });

  it('ends what the DLQ holds and deletes the messages; a malformed one stays for an operator', async () => {
    const r = rig();
    const claimed = await r.job('dlq-claimed');
    await r.claim(claimed);
    const sending = await r.job('dlq-sending');
    await r.outbox.markSending(sending, await r.claim(sending), T0 + 1, ALLOW, 1);
    const sent = await r.job('dlq-sent');
    await r.outbox.finish(sent, await r.claim(sent), T0 + 2, { status: 'sent', messageId: 'wamid.1' });
    for (const id of [claimed, sending, sent, undefined]) r.deadLetters.add(id);

    expect(await r.sweep()).toMatchObject({ deadLettered: 2 });
    expect(await r.outbox.get(claimed)).toMatchObject({ status: 'failed', reason: 'dead_lettered' });
    expect(await r.outbox.get(sending)).toMatchObject({ status: 'unknown', reason: 'dead_lettered_during_send' });
    expect((await r.outbox.get(sent))?.status).toBe('sent');
    expect(r.deadLetters.size()).toBe(1);
    expect(r.metrics).toContainEqual({ name: 'StrandedWorkRecovered', value: 2, kind: 'dead_lettered' });
  });

  it('resumes an occurrence whose lease ran out, and leaves a renewed one alone', async () => {
    const r = rig();
    const campaign = { ...CampaignSchema.parse(loadEvent('campaigns/weekly-deals-recurring.json')), id: 'weekly-deals' };
    const key = '2026-05-17T12:00:00.000Z';
    const lease = await r.occurrences.acquire({ campaignId: campaign.id, occurrenceKey: key, firingAt: T0, now: T0, leaseMs: 60_000, create: campaign });
    if (!lease.acquired) throw new Error('expected the lease');
    r.now.value = T0 + 60_000 + GRACE;
    expect(await r.sweep()).toMatchObject({ occurrencesStuck: 0 });

    r.now.value = T0 + 60_000 + GRACE + 1;
    expect(await r.sweep()).toMatchObject({ occurrencesStuck: 1, occurrencesResumed: 1 });
    expect(r.continuations).toEqual([{ campaignId: campaign.id, occurrenceKey: key }]);
    expect(r.metrics).toContainEqual({ name: 'OccurrencesStuck', value: 1 });
  });

  it("resumes a fanned-out occurrence's stuck segment with a continuation for that segment", async () => {
    const r = rig();
    const campaign = { ...CampaignSchema.parse(loadEvent('campaigns/weekly-deals-recurring.json')), id: 'weekly-deals' };
    const key = '2026-05-17T12:00:00.000Z';
    await r.occurrences.start({ campaignId: campaign.id, occurrenceKey: key, firingAt: T0, now: T0, campaign, plan: { segments: 2, shards: 16 } });
    await r.occurrences.acquireSegment({ campaignId: campaign.id, occurrenceKey: key, segment: 1, now: T0, leaseMs: 60_000 });
    r.now.value = T0 + 60_000 + GRACE + 1;

    expect(await r.sweep()).toMatchObject({ occurrencesResumed: 1 });
    expect(r.continuations).toEqual([{ campaignId: campaign.id, occurrenceKey: key, segment: 1 }]);
  });

  it('logs ids and counts, never the recipient', async () => {
    const r = rig();
    const id = await r.job('logged');
    await r.outbox.markSending(id, await r.claim(id), T0 + 1, ALLOW, 1);
    r.now.value = T0 + STALE + GRACE + 1;
    const logs = captureLogs();
    try {
      await r.sweep();
    } finally {
      logs.restore();
    }
    expect(logs.lines.join('\n')).toContain(id);
    expect(logs.lines.join('\n')).not.toContain(USER);
  });
});
