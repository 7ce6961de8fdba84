/**
 * Interface under test: GraphApiClient over real HTTP (node:http on 127.0.0.1): the message a failed
 * send reports, which the sender stores as the outbox record's `detail` — what an operator reads to
 * ask Meta support about a failure (its fbtrace_id), even when Meta's error carries no text.
 * Written for a mutant StrykerJS found uncovered (README, "Mutation testing").
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphApiClient } from '../../../lambdas/adapters/meta/graph-api-client';
import type { GraphRequest } from '../../../lambdas/ports/graph-api';

const PHONE_NUMBER_ID = '109876543210987';
const send: GraphRequest = {
  channel: 'whatsapp',
  accountId: PHONE_NUMBER_ID,
  path: `${PHONE_NUMBER_ID}/messages`,
  body: { messaging_product: 'whatsapp', to: '+4915112345678', type: 'text', text: { body: 'Hi' } },
};

let answer: unknown;
let server: Server;
let client: GraphApiClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new GraphApiClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    version: 'v25.0',
    tokens: { tokenFor: () => Promise.resolve('EAAG-token') },
  });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("a failed send's message", () => {
  it('keeps the error type and fbtrace_id when Meta sends no text, under a generic label', async () => {
    answer = { error: { code: 131000, type: 'OAuthException', fbtrace_id: 'AbCdEf123' } };

    expect(await client.send(send)).toMatchObject({
      ok: false,
      failure: { code: 131000, httpStatus: 400, requestSent: true },
      message: 'Graph API error (type OAuthException, fbtrace_id AbCdEf123)',
    });
  });

  it("is Meta's text alone when there is nothing to add, and absent when Meta says nothing", async () => {
    answer = { error: { code: 131000, message: 'Something went wrong' } };
    expect(await client.send(send)).toMatchObject({ ok: false, message: 'Something went wrong' });

    answer = { error: { code: 131000 } };
    const silent = await client.send(send);
    expect(silent).toMatchObject({ ok: false, failure: { code: 131000 } });
    expect(silent).toHaveProperty('message', undefined);
  });
});
