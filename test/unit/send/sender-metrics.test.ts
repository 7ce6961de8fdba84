/**
 * Interface under test: the sender's metrics, which the CloudWatch dashboard reads (lib/constructs/
 * monitoring.ts): `SentByRoute` with a `route` dimension, `MetaErrors` with Meta's error `code`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import type { GraphResult } from '../../../lambdas/ports/graph-api';
import type { ContactRecord } from '../../../lambdas/ports/state-store';
import { createSender } from '../../../lambdas/send/sender';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const PHONE = '109876543210987';
const intent: SendIntent = { channel: 'whatsapp', accountId: PHONE, userId: '4915112345678', kind: 'reply', author: 'bot', content: { type: 'text', text: 'Hi' } };
const NOW = Date.UTC(2026, 4, 17, 12);

class OpenWindow extends RecordingStore {
  override getPerson(contact: { channel: 'whatsapp'; accountId: string; userId: string }): Promise<ContactRecord> {
    return Promise.resolve({ ...contact, state: { lastInboundAt: NOW - 60_000 }, optIns: [] });
  }
}

interface Emitted {
  name: string;
  dimensions: Record<string, string>;
}

/** Records what reaches Powertools: plain metrics, and single metrics with their own dimensions. */
function recordingMetrics(): { metrics: Metrics; emitted: Emitted[] } {
  const emitted: Emitted[] = [];
  const metrics = {
    addMetric: (name: string) => void emitted.push({ name, dimensions: {} }),
    singleMetric: () => {
      const dimensions: Record<string, string> = {};
      return {
        addDimension: (key: string, value: string) => void (dimensions[key] = value),
        addMetric: (name: string) => void emitted.push({ name, dimensions: { ...dimensions } }),
      };
    },
  } as unknown as Metrics;
  return { metrics, emitted };
}

const sendOnce = async (answer: GraphResult) => {
  const outbox = new MemoryOutbox();
  const { metrics, emitted } = recordingMetrics();
  const processJob = createSender({
    outbox,
    store: new OpenWindow(),
    accounts: new FixedAccounts([{ channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 't', timezone: 'UTC' }]),
    graph: { send: () => Promise.resolve(answer) },
    pacer: { acquire: () => Promise.resolve({ ok: true }), backOff: () => undefined },
    queue: { enqueue: () => Promise.resolve() },
    clock: () => NOW,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics,
    maxAttempts: 3,
  });
  const { record } = await outbox.create({ idempotencyKey: 'k', intent, now: NOW });
  const outcome = await processJob(record.outboxId);
  return { outcome, emitted };
};

describe('sender metrics', () => {
  it('counts a sent message by its route, besides the plain Sent count', async () => {
    // Act
    const { outcome, emitted } = await sendOnce({ ok: true, messageId: 'wamid.x' });

    // Assess
    expect(outcome).toBe('sent');
    expect(emitted).toContainEqual({ name: 'Sent', dimensions: {} });
    expect(emitted).toContainEqual({ name: 'SentByRoute', dimensions: { route: 'whatsapp.free_form' } });
  });

  it("counts a Meta error by its code, or by the HTTP status when Meta gave none", async () => {
    // Act
    const coded = await sendOnce({ ok: false, failure: { channel: 'whatsapp', httpStatus: 400, code: 131026, requestSent: true } });
    const uncoded = await sendOnce({ ok: false, failure: { channel: 'whatsapp', httpStatus: 500, requestSent: true } });

    // Assess
    expect(coded.emitted.filter((e) => e.name === 'MetaErrors')).toEqual([{ name: 'MetaErrors', dimensions: { code: '131026' } }]);
    expect(uncoded.emitted.filter((e) => e.name === 'MetaErrors')).toEqual([{ name: 'MetaErrors', dimensions: { code: 'http_500' } }]);
    expect([...coded.emitted, ...uncoded.emitted].some((e) => e.name === 'SentByRoute')).toBe(false);
  });
});
