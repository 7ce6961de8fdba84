/**
 * Interface under test: the webhook handler (createWebhookHandler) with a recording store and the
 * SQS hand-off (SqsAutomationQueue) on a recording SendMessage: every inbound message of a
 * registered account goes to automation, one SendMessage per body, after its writes landed and
 * before the events are recorded, and only while they are new.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { InMemoryQuarantine } from '../../../lambdas/adapters/memory/quarantine';
import { StaticWebhookSecrets } from '../../../lambdas/adapters/secrets/static-webhook-secrets';
import { SqsAutomationQueue } from '../../../lambdas/adapters/sqs/automation-queue';
import type { WebhookEvent } from '../../../lambdas/domain/events';
import { AutomationHandOffSchema, fromHandOff } from '../../../lambdas/schemas/automation-hand-off';
import { createWebhookHandler } from '../../../lambdas/webhook/receive-webhook';
import { signBody } from '../../../lambdas/webhook/signature';
import { httpEvent } from '../../helpers/api-gateway-event';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';
import { statusBody } from '../../helpers/whatsapp-status';
import { type BusinessNumber, from, messagesBody, reaction, SAMPLE_NUMBER, type Sender, text, textBody } from '../../helpers/whatsapp-webhook';

const SECRET = 'app-secret';
const NOW = Date.UTC(2026, 11, 6, 12);
const SENT_AT = NOW - 10_000;
const SHOP = SAMPLE_NUMBER;
const UNREGISTERED: BusinessNumber = { ...SHOP, phoneNumberId: '109876543210999' };

const person = (n: number): Sender => ({ waId: String(4915100000000 + n), id: `wamid.person-${n}`, atMs: SENT_AT });
const handedOffAs = (n: number, said: { text?: string } = {}) => ({
  eventKey: `whatsapp#${SHOP.phoneNumberId}#wamid#wamid.person-${n}`,
  occurredAt: SENT_AT,
  contact: { channel: 'whatsapp', accountId: SHOP.phoneNumberId, userId: person(n).waId },
  ...said,
});

/** The recording store, noting when writes land and when events are recorded. */
class SteppedStore extends RecordingStore {
  constructor(private readonly steps: string[]) {
    super();
  }

  override apply(writes: Parameters<RecordingStore['apply']>[0]): Promise<void> {
    this.steps.push('apply');
    return super.apply(writes);
  }

  override recordEvents(events: readonly WebhookEvent[]): Promise<void> {
    this.steps.push('record');
    return super.recordEvents(events);
  }
}

const setup = () => {
  const steps: string[] = [];
  const store = new SteppedStore(steps);
  /** Each SendMessage body the webhook sent to the automation queue. */
  const sent: string[] = [];
  const queue = { failing: false };
  const metrics = new Metrics({ namespace: 'afterchat', serviceName: 'meta-webhook' });
  const addMetric = jest.spyOn(metrics, 'addMetric');
  const handler = createWebhookHandler({
    secrets: new StaticWebhookSecrets(SECRET, 'token'),
    store,
    quarantine: new InMemoryQuarantine(),
    accounts: new FixedAccounts([{ channel: 'whatsapp', accountId: SHOP.phoneNumberId, displayName: 'Shop', tokenSecret: 's', timezone: 'Europe/Berlin', wabaId: SHOP.wabaId }]),
    clock: () => NOW,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics,
    maxBodyBytes: 4 * 1024 * 1024,
    automation: new SqsAutomationQueue('https://sqs/automation', () =>
      Promise.resolve((_url: string, body: string) => {
        steps.push('hand-off');
        if (queue.failing) return Promise.reject(new Error('SQS unavailable'));
        sent.push(body);
        return Promise.resolve();
      }),
    ),
  });
  const post = async (body: object) => {
    const raw = JSON.stringify(body);
    return (await handler(httpEvent({ method: 'POST', body: raw, headers: { 'x-hub-signature-256': signBody(raw, SECRET) } }))).statusCode;
  };
  const handedOff = () => sent.map((body) => fromHandOff(AutomationHandOffSchema.parse(JSON.parse(body))));
  const metric = (name: string) => addMetric.mock.calls.filter(([n]) => n === name).map(([, , value]) => value);
  return { post, handedOff, steps, queue, store, metric };
};

describe('the webhook hands inbound messages to automation', () => {
  it('every message of a body in one SendMessage, with ids and time, the text only up to 40 characters; after the writes and before the record', async () => {
    const { post, handedOff, steps } = setup();
    const fortyOne = 'Is the blue jacket in stock in size M?!!!';
    expect(fortyOne).toHaveLength(41);
    const status = await post(
      messagesBody(
        SHOP,
        from(person(1), text('STOP')),
        from(person(2), text("please don't stop sending")),
        from(person(3), text(fortyOne.slice(0, 40))),
        from(person(4), text(fortyOne)),
        from(person(5), text('Hello, is the jacket in stock in size M and in blue?')),
      ),
    );
    expect(status).toBe(200);
    expect(handedOff()).toEqual([
      [
        handedOffAs(1, { text: 'STOP' }),
        handedOffAs(2, { text: "please don't stop sending" }),
        handedOffAs(3, { text: fortyOne.slice(0, 40) }),
        handedOffAs(4),
        handedOffAs(5),
      ],
    ]);
    expect(steps).toEqual(['apply', 'hand-off', 'record']);
  });

  it('hands nothing off for reactions, statuses, or messages to an unregistered number', async () => {
    const { post, handedOff, steps, metric, store } = setup();
    expect(await post(messagesBody(SHOP, from(person(1), reaction('wamid.ours-1', '👍'))))).toBe(200);
    expect(store.events).toMatchObject([{ type: 'inbound', opener: 'reaction' }]);
    const ours = { phoneNumberId: SHOP.phoneNumberId, wabaId: SHOP.wabaId, waId: person(1).waId, bsuid: 'DE.1', wamid: 'wamid.ours-1', outboxId: 'ob_1', sentAt: Math.floor(SENT_AT / 1000) };
    expect(await post(statusBody(ours, 'delivered'))).toBe(200);
    expect(await post(textBody(UNREGISTERED, person(2), 'STOP'))).toBe(200);
    expect(handedOff()).toEqual([]);
    expect(steps).not.toContain('hand-off');
    expect(metric('AutomationEventsHandedOff')).toEqual([0, 0, 0]);
  });

  it('a failed hand-off answers 500 counted as AutomationHandOffFailures, not StorageFailures, with the events unrecorded; Meta’s retry hands them off once', async () => {
    const { post, handedOff, queue, store, metric } = setup();
    const body = textBody(SHOP, person(1), 'hello');
    queue.failing = true;
    expect(await post(body)).toBe(500);
    expect(store.events).toEqual([]);
    expect(metric('AutomationHandOffFailures')).toEqual([1]);
    expect(metric('StorageFailures')).toEqual([]);
    queue.failing = false;
    expect(await post(body)).toBe(200);
    expect(await post(body)).toBe(200);
    expect(handedOff()).toEqual([[handedOffAs(1, { text: 'hello' })]]);
  });
});
