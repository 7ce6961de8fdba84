/** Interface under test: the webhook handler (createWebhookHandler) with real schemas and a recording store. */
import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { InMemoryQuarantine } from '../../../lambdas/adapters/memory/quarantine';
import { StaticWebhookSecrets } from '../../../lambdas/adapters/secrets/static-webhook-secrets';
import type { WebhookEvent } from '../../../lambdas/domain/events';
import { createWebhookHandler, isRecorded } from '../../../lambdas/webhook/receive-webhook';
import { signBody } from '../../../lambdas/webhook/signature';
import { httpEvent } from '../../helpers/api-gateway-event';
import { loadEventText } from '../../helpers/events';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const SECRET = 'app-secret';
const TOKEN = 'verify-token';

/** The time of receipt: after every sample's own time (the samples run through 2026-05-17 13:23 UTC). */
const RECEIVED_AT = Date.UTC(2026, 4, 18);

const setup = (maxBodyBytes = 4 * 1024 * 1024) => {
  const store = new RecordingStore();
  const quarantine = new InMemoryQuarantine();
  const handler = createWebhookHandler({
    secrets: new StaticWebhookSecrets(SECRET, TOKEN),
    store,
    quarantine,
    accounts: new FixedAccounts(),
    clock: () => RECEIVED_AT,
    logger: new Logger({ logLevel: 'CRITICAL' }),
    maxBodyBytes,
  });
  return { store, quarantine, handler };
};

const signedPost = (body: string, extra: { base64?: boolean } = {}) =>
  httpEvent({ method: 'POST', body, base64: extra.base64, headers: { 'x-hub-signature-256': signBody(body, SECRET) } });

describe('webhook handler', () => {
  describe('GET verification', () => {
    it('answers the raw challenge as text/plain', async () => {
      const { handler } = setup();
      const result = await handler(
        httpEvent({ method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN, 'hub.challenge': '1158201444' } }),
      );
      expect(result).toMatchObject({ statusCode: 200, body: '1158201444' });
      expect(result.headers?.['content-type']).toMatch(/^text\/plain/);
    });

    it('answers 403 to a wrong token', async () => {
      const { handler } = setup();
      const result = await handler(
        httpEvent({ method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' } }),
      );
      expect(result.statusCode).toBe(403);
    });
  });

  describe('POST', () => {
    const body = loadEventText('meta/messenger/message-text.json');

    it('stores a signed body and answers 200', async () => {
      const { store, handler } = setup();
      const result = await handler(signedPost(body));
      expect(result.statusCode).toBe(200);
      expect(store.events.map((e) => e.type)).toContain('inbound');
    });

    it('verifies base64-encoded bodies on their decoded bytes', async () => {
      const { store, handler } = setup();
      const result = await handler(signedPost(body, { base64: true }));
      expect(result.statusCode).toBe(200);
      expect(store.events).not.toHaveLength(0);
    });

    it.each([
      ['missing', undefined],
      ['wrong', signBody(body, 'not-the-secret')],
    ])('answers 401 and stores nothing when the signature is %s', async (_case, signature) => {
      const { store, handler } = setup();
      const result = await handler(httpEvent({ method: 'POST', body, headers: signature ? { 'x-hub-signature-256': signature } : {} }));
      expect(result.statusCode).toBe(401);
      expect(store.writes).toHaveLength(0);
      expect(store.events).toHaveLength(0);
    });

    it('answers 401 to a body changed after signing', async () => {
      const { store, handler } = setup();
      const event = signedPost(body);
      event.body = body.replace('"entry"', '"entry" ');
      expect((await handler(event)).statusCode).toBe(401);
      expect(store.writes).toHaveLength(0);
    });

    it('answers 413 to a body over the limit, before checking its signature', async () => {
      const { store, handler } = setup(1024);
      const big = JSON.stringify({ object: 'page', entry: [], pad: 'x'.repeat(2000) });
      const result = await handler(signedPost(big));
      expect(result.statusCode).toBe(413);
      expect(JSON.parse(result.body ?? '{}')).toMatchObject({ error: 'payload too large', detail: { limitBytes: 1024 } });
      expect(store.writes).toHaveLength(0);
    });

    it('answers 413 to an oversize body even without a signature: size is checked first', async () => {
      const { handler } = setup(1024);
      const result = await handler(httpEvent({ method: 'POST', body: 'x'.repeat(2048) }));
      expect(result.statusCode).toBe(413);
    });

    it('answers 500 without quoting the secret when the stored app secret is malformed rotation JSON', async () => {
      // Prepare: a typo in the {"current","previous"} form operators store while rotating
      const lines: string[] = [];
      const handler = createWebhookHandler({
        secrets: new StaticWebhookSecrets('{"current": "s3cr3t-value", "previous": oops}', TOKEN),
        store: new RecordingStore(),
        quarantine: new InMemoryQuarantine(),
        accounts: new FixedAccounts(),
        clock: () => 0,
        logger: new Logger({ logLevel: 'DEBUG', logFormatter: undefined }),
        maxBodyBytes: 4096,
      });
      const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
      // Act
      const result = await handler(signedPost(body));
      spy.mockRestore();
      // Assess
      expect(result.statusCode).toBe(500);
      expect(`${result.body ?? ''}${lines.join('')}`).not.toContain('s3cr3t');
      expect(lines.join('')).toContain('webhook secrets unavailable');
    });

    it('answers 400 to signed bytes that are not JSON', async () => {
      const { handler } = setup();
      expect((await handler(signedPost('{"object": "page", '))).statusCode).toBe(400);
    });

    it('answers 200 and stores nothing for an object it does not handle', async () => {
      const { store, handler } = setup();
      const result = await handler(signedPost(JSON.stringify({ object: 'permissions', entry: [{ id: '1', time: 1 }] })));
      expect(result.statusCode).toBe(200);
      expect(store.writes).toHaveLength(0);
    });

    it('answers 500 when storage fails, so Meta retries', async () => {
      const { store, handler } = setup();
      store.failWith = new Error('ProvisionedThroughputExceededException');
      const result = await handler(signedPost(body));
      expect(result.statusCode).toBe(500);
      expect(store.events).toHaveLength(0);
    });

    it('applies a status without looking up or recording an event: its registers make a retry harmless', async () => {
      const { store, handler } = setup();
      const knownEvents = jest.spyOn(store, 'knownEvents');
      const result = await handler(signedPost(loadEventText('meta/whatsapp/status-delivered.json')));
      expect(result.statusCode).toBe(200);
      expect(knownEvents).not.toHaveBeenCalled();
      expect(store.events).toHaveLength(0);
      expect(store.writes.map((w) => w.register)).toContain('status');
    });

    it('records inbound messages and other events, but not the statuses and watermarks beside them', async () => {
      const { store, handler } = setup();
      const knownEvents = jest.spyOn(store, 'knownEvents');
      await handler(signedPost(loadEventText('meta/messenger/delivery.json')));
      expect(knownEvents).not.toHaveBeenCalled();
      await handler(signedPost(body));
      expect(knownEvents).toHaveBeenCalledTimes(1);
      expect(store.events.map((e) => e.type)).toEqual(['inbound']);
      expect([...new Set(store.writes.map((w) => w.register))]).toEqual(expect.arrayContaining(['deliveredWatermark', 'window']));
    });

    it.each([
      ['message_status', false],
      ['watermark', false],
      ['inbound', true],
      ['echo', true],
      ['opt_in', true],
      ['noted', true],
    ] as const)('decides per event type whether it gets an event record: %s → %s', (type, recorded) => {
      expect(isRecorded({ type } as WebhookEvent)).toBe(recorded);
    });

    it('answers 405 to other methods', async () => {
      const { handler } = setup();
      expect((await handler(httpEvent({ method: 'PUT', body }))).statusCode).toBe(405);
    });
  });

  describe('properties', () => {
    it('never crashes on random bodies and headers, and stores nothing unsigned', async () => {
      const { store, handler } = setup();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.string(), fc.json(), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1'))),
          fc.dictionary(fc.string({ maxLength: 30 }), fc.string({ maxLength: 80 })),
          fc.boolean(),
          async (text, headers, base64) => {
            const result = await handler(httpEvent({ method: 'POST', body: text, headers, base64 }));
            return result.statusCode === 401;
          },
        ),
        { numRuns: 500 },
      );
      expect(store.writes).toHaveLength(0);
    });

    it('answers every signed JSON value with 200, never with a crash', async () => {
      const { handler } = setup();
      const metaLike = fc.record({
        object: fc.constantFrom('page', 'instagram', 'whatsapp_business_account', 'other'),
        entry: fc.array(fc.anything(), { maxLength: 5 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.jsonValue(), metaLike), async (value) => {
          const result = await handler(signedPost(JSON.stringify(value) ?? 'null'));
          return result.statusCode === 200;
        }),
        { numRuns: 500 },
      );
    });
  });
});
