/**
 * Interface under test: GraphApiClient.send with fetch replaced, for what the sender then decides:
 * whether a failure may have reached Meta (never resent) or cannot have (retried), by the shape of
 * the error fetch throws; and how long a message's tags may be. Written for mutants StrykerJS found
 * surviving in adapters/meta/graph-api-client.ts (README, "Mutation testing").
 */
import { GraphApiClient } from '../../../lambdas/adapters/meta/graph-api-client';
import type { GraphRequest, GraphResult } from '../../../lambdas/ports/graph-api';

const PHONE_NUMBER_ID = '109876543210987';
const send: GraphRequest = {
  channel: 'whatsapp',
  accountId: PHONE_NUMBER_ID,
  path: `${PHONE_NUMBER_ID}/messages`,
  body: { messaging_product: 'whatsapp', to: '+4915112345678', type: 'text', text: { body: 'Hi' } },
};
const client = new GraphApiClient({ baseUrl: 'https://graph.example.test', version: 'v25.0', tokens: { tokenFor: () => Promise.resolve('EAAG-token') } });

const failureOf = (result: GraphResult) => (result.ok ? undefined : result.failure);

afterEach(() => jest.restoreAllMocks());

describe('a call fetch could not complete', () => {
  it.each([
    ['a timeout', { name: 'TimeoutError' }, { transport: 'timeout', requestSent: true }],
    ['an abort', { name: 'AbortError' }, { transport: 'timeout', requestSent: true }],
    ['a refused connection', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), { transport: 'connection_refused', requestSent: false }],
    ['an unknown host', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }), { transport: 'connection_refused', requestSent: false }],
    ['a reset', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }), { transport: 'connection_reset', requestSent: true }],
    ['an error without a cause', new TypeError('fetch failed'), { transport: 'connection_reset', requestSent: true }],
    ['an error whose cause is null', Object.assign(new TypeError('fetch failed'), { cause: null }), { transport: 'connection_reset', requestSent: true }],
  ])('reads %s as %j', async (_case, thrown, expected) => {
    jest.spyOn(globalThis, 'fetch').mockRejectedValue(thrown);
    expect(failureOf(await client.send(send))).toStrictEqual({ channel: 'whatsapp', ...expected });
  });
});

describe("a failed send's message", () => {
  it("cuts Meta's error type and fbtrace_id to 64 characters each", async () => {
    const error = { code: 131000, message: 'Something went wrong', type: 'T'.repeat(100), fbtrace_id: 'F'.repeat(100) };
    jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(JSON.stringify({ error }), { status: 400, headers: { 'content-type': 'application/json' } }));
    const result = await client.send(send);
    expect(result.ok ? undefined : result.message).toBe(`Something went wrong (type ${'T'.repeat(64)}, fbtrace_id ${'F'.repeat(64)})`);
  });
});
