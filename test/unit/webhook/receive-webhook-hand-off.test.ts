/**
 * Interface under test: the webhook handler (createWebhookHandler) with a recording store and a
 * recording automation queue: a body's keyword messages are handed to automation in one message,
 * after their writes landed and before the events are recorded, and only while they are new.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { InMemoryQuarantine } from '../../../lambdas/adapters/memory/quarantine';
import { StaticWebhookSecrets } from '../../../lambdas/adapters/secrets/static-webhook-secrets';
import type { AutomationInbound } from '../../../lambdas/domain/automation/keyword-opt-out';
import type { WebhookEvent } from '../../../lambdas/domain/events';
import { createWebhookHandler } from '../../../lambdas/webhook/receive-webhook';
import { signBody } from '../../../lambdas/webhook/signature';
import { httpEvent } from '../../helpers/api-gateway-event';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const SECRET = 'app-secret';
const NOW = Date.UTC(2026, 11, 6, 12);
const PHONE = '109876543210987';
const OTHER_PHONE = '109876543210999';
const WABA = '102290129340398';

const texts = (phone: string, messages: readonly [string, string][]) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: WABA,
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: phone },
            messages: messages.map(([from, body], n) => ({ from, id: `wamid.${from}-${n}`, timestamp: String(Math.floor(NOW / 1000) - 10), type: 'text', text: { body } })),
          },
        },
      ],
    },
  ],
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
  const handedOff: AutomationInbound[][] = [];
  const queue = { failing: false };
  const handler = createWebhookHandler({
    secrets: new StaticWebhookSecrets(SECRET, 'token'),
    store,
    quarantine: new InMemoryQuarantine(),
    accounts: new FixedAccounts([{ channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 's', timezone: 'Europe/Berlin', wabaId: WABA }]),
    clock: () => NOW,
    logger: new Logger({ logLevel: 'SILENT' }),
    maxBodyBytes: 4 * 1024 * 1024,
    automation: {
      handOff: (events) => {
        steps.push('hand-off');
        if (queue.failing) return Promise.reject(new Error('SQS unavailable'));
        handedOff.push([...events]);
        return Promise.resolve();
      },
    },
  });
  const post = async (body: object) => {
    const text = JSON.stringify(body);
    return (await handler(httpEvent({ method: 'POST', body: text, headers: { 'x-hub-signature-256': signBody(text, SECRET) } }))).statusCode;
  };
  return { post, handedOff, steps, queue, store };
};

describe('the webhook hands keyword messages to automation', () => {
  it('in one message per body, with ids, time and the keyword text only, after the writes and before the record', async () => {
    const { post, handedOff, steps } = setup();
    const status = await post(
      texts(PHONE, [
        ['4915100000001', 'STOP'],
        ['4915100000002', "please don't stop sending"],
        ['4915100000003', ' stopp '],
        ['4915100000004', 'Hello, is the jacket in stock in size M and in blue?'],
      ]),
    );
    expect(status).toBe(200);
    expect(handedOff).toEqual([
      [
        { eventKey: `whatsapp#${PHONE}#wamid#wamid.4915100000001-0`, occurredAt: NOW - 10_000, contact: { channel: 'whatsapp', accountId: PHONE, userId: '4915100000001' }, text: 'STOP' },
        { eventKey: `whatsapp#${PHONE}#wamid#wamid.4915100000003-2`, occurredAt: NOW - 10_000, contact: { channel: 'whatsapp', accountId: PHONE, userId: '4915100000003' }, text: ' stopp ' },
      ],
    ]);
    expect(steps).toEqual(['apply', 'hand-off', 'record']);
  });

  it('hands nothing off for a body without keywords, nor for an unregistered account', async () => {
    const { post, handedOff, steps } = setup();
    expect(await post(texts(PHONE, [['4915100000001', 'hello']]))).toBe(200);
    expect(await post(texts(OTHER_PHONE, [['4915100000001', 'STOP']]))).toBe(200);
    expect(handedOff).toEqual([]);
    expect(steps).not.toContain('hand-off');
  });

  it('a failed hand-off answers 500 with the events unrecorded, so Meta’s retry hands them off; a recorded body is not handed off again', async () => {
    const { post, handedOff, queue, store } = setup();
    const body = texts(PHONE, [['4915100000001', 'STOP']]);
    queue.failing = true;
    expect(await post(body)).toBe(500);
    expect(store.events).toEqual([]);
    queue.failing = false;
    expect(await post(body)).toBe(200);
    expect(await post(body)).toBe(200);
    expect(handedOff).toHaveLength(1);
  });
});
