/**
 * Interface under test: GraphApiClient over real HTTP (node:http on 127.0.0.1) against the bodies
 * Meta really answers with (whatsapp-cloud-api.md §4.3, §4.5; messenger-platform.md §3, §5, §6), and
 * what classifyGraphError makes of the failure it reports: a client that reads the subcode from the
 * wrong key, or drops the code, sends the job down the wrong path.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphApiClient } from '../../../lambdas/adapters/meta/graph-api-client';
import type { Channel } from '../../../lambdas/domain/events';
import { classifyGraphError } from '../../../lambdas/domain/send/classify-error';
import type { GraphRequest } from '../../../lambdas/ports/graph-api';

interface Answer {
  status: number;
  body: string;
  contentType?: string;
}

interface Received {
  method?: string;
  url?: string;
  authorization?: string;
  contentType?: string;
  body: unknown;
}

const json = (status: number, body: unknown): Answer => ({ status, body: JSON.stringify(body) });

/** A local Graph API: answers each call with the next scripted answer; `hang` never answers, `truncate` breaks off mid-body. */
class FakeGraph {
  readonly received: Received[] = [];
  readonly answers: (Answer | 'hang' | 'truncate')[] = [];
  private readonly hanging: ServerResponse[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    this.received.push({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body: text ? (JSON.parse(text) as unknown) : undefined,
    });
    const answer = this.answers.shift() ?? json(500, { error: { message: 'no answer scripted', code: 1 } });
    if (answer === 'hang') {
      this.hanging.push(res);
      return;
    }
    if (answer === 'truncate') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
      res.write('{"messaging_product":"whatsapp","messages":[{"id":"wamid.');
      setImmediate(() => res.destroy());
      return;
    }
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json; charset=UTF-8' });
    res.end(answer.body);
  }
}

const PHONE_NUMBER_ID = '109876543210987';
const PAGE_ID = '1353269864728879';

const whatsappSend: GraphRequest = {
  channel: 'whatsapp',
  accountId: PHONE_NUMBER_ID,
  path: `${PHONE_NUMBER_ID}/messages`,
  body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+4915112345678', type: 'text', text: { body: 'Hi', preview_url: false } },
};
const messengerSend: GraphRequest = {
  channel: 'messenger',
  accountId: PAGE_ID,
  path: `${PAGE_ID}/messages`,
  body: { recipient: { id: '6254481371233015' }, messaging_type: 'RESPONSE', message: { text: 'Hi' }, metadata: 'ob_1' },
};
const marketingSend: GraphRequest = {
  channel: 'messenger',
  accountId: PAGE_ID,
  path: 'act_42/messages',
  body: { message_id: '120210000000000001', messenger_delivery_data: { subscription_token: 'tok_1' }, message: { text: 'Sale' } },
};
const requestOn = (channel: Channel): GraphRequest => (channel === 'whatsapp' ? whatsappSend : messengerSend);

const graph = new FakeGraph();
let baseUrl = '';
const tokens = { tokenFor: jest.fn(() => Promise.resolve('EAAG-page-token')) };
const client = (options: { appSecret?: string; timeoutMs?: number; url?: string } = {}) =>
  new GraphApiClient({
    baseUrl: options.url ?? baseUrl,
    version: 'v25.0',
    tokens,
    appSecret: options.appSecret === undefined ? undefined : () => Promise.resolve(options.appSecret),
    timeoutMs: options.timeoutMs,
  });

beforeAll(async () => {
  baseUrl = await graph.start();
});
afterAll(() => graph.stop());
beforeEach(() => {
  graph.answers.length = 0;
  graph.received.length = 0;
});

describe('GraphApiClient: the call it makes', () => {
  it('POSTs the JSON body to /<version>/<path> with the token as a Bearer header', async () => {
    graph.answers.push(json(200, { recipient_id: '6254481371233015', message_id: 'm_1' }));
    await client().send(messengerSend);
    expect(tokens.tokenFor).toHaveBeenCalledWith({ channel: 'messenger', accountId: PAGE_ID });
    expect(graph.received).toEqual([
      { method: 'POST', url: `/v25.0/${PAGE_ID}/messages`, authorization: 'Bearer EAAG-page-token', contentType: 'application/json', body: messengerSend.body },
    ]);
  });

  it('adds appsecret_proof = HMAC-SHA256(app secret, token) when an app secret is given', async () => {
    graph.answers.push(json(200, { recipient_id: '1', message_id: 'm_1' }));
    await client({ appSecret: 'app-secret' }).send(messengerSend);
    const url = new URL(graph.received[0]?.url ?? '', baseUrl);
    expect(url.pathname).toBe(`/v25.0/${PAGE_ID}/messages`);
    expect(url.searchParams.get('appsecret_proof')).toBe(createHmac('sha256', 'app-secret').update('EAAG-page-token').digest('hex'));
    expect(url.searchParams.get('appsecret_proof')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sends no appsecret_proof without an app secret', async () => {
    graph.answers.push(json(200, { recipient_id: '1', message_id: 'm_1' }));
    await client().send(messengerSend);
    expect(graph.received[0]?.url).toBe(`/v25.0/${PAGE_ID}/messages`);
  });
});

describe('GraphApiClient: success bodies', () => {
  it('reads the wamid and message_status of a WhatsApp send', async () => {
    graph.answers.push(
      json(200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: '+4915112345678', wa_id: '4915112345678' }],
        messages: [{ id: 'wamid.HBgLNDkxNTExMjM0NTY3OBUCABEYEjQ5', message_status: 'accepted' }],
      }),
    );
    expect(await client().send(whatsappSend)).toEqual({ ok: true, messageId: 'wamid.HBgLNDkxNTExMjM0NTY3OBUCABEYEjQ5', status: 'accepted' });
  });

  it('reads a WhatsApp free-form send without message_status', async () => {
    graph.answers.push(json(200, { messaging_product: 'whatsapp', contacts: [{ input: '+4915112345678', wa_id: '4915112345678' }], messages: [{ id: 'wamid.X' }] }));
    expect(await client().send(whatsappSend)).toEqual({ ok: true, messageId: 'wamid.X' });
  });

  it('reads the message_id of a Messenger send', async () => {
    graph.answers.push(json(200, { recipient_id: '6254481371233015', message_id: 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P' }));
    expect(await client().send(messengerSend)).toEqual({ ok: true, messageId: 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P' });
  });

  it('reads the marketing_message_tracking_id of a Marketing Message API send', async () => {
    graph.answers.push(json(200, { success: true, marketing_message_tracking_id: '1234567890123456' }));
    expect(await client().send(marketingSend)).toEqual({ ok: true, messageId: '1234567890123456' });
    expect(graph.received[0]?.url).toBe('/v25.0/act_42/messages');
  });

  it('reports a 200 without any message id as a failure Meta may have acted on', async () => {
    graph.answers.push(json(200, { success: true }));
    expect(await client().send(marketingSend)).toEqual({
      ok: false,
      failure: { channel: 'messenger', httpStatus: 200, requestSent: true },
      message: 'success without a message id',
    });
  });
});

/** Real-shaped error bodies, what the client must report, and what the classifier then does. */
const errorCases: {
  name: string;
  channel: Channel;
  status: number;
  body: unknown;
  failure: { code?: number; subcode?: number; title?: string };
  message?: string;
  outcome: { action: string; reason: string };
}[] = [
  {
    name: 'WhatsApp 131047 re-engagement (no subcode)',
    channel: 'whatsapp',
    status: 400,
    body: {
      error: {
        message: '(#131047) Re-engagement message',
        type: 'OAuthException',
        code: 131047,
        error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
        fbtrace_id: 'AbCdEf123',
      },
    },
    failure: { code: 131047, subcode: undefined, title: 'Re-engagement message' },
    message: '(#131047) Re-engagement message (type OAuthException, fbtrace_id AbCdEf123)',
    outcome: { action: 'drop', reason: 'window_closed' },
  },
  {
    name: 'WhatsApp 130429 throughput limit with error_subcode 2494055 (whatsapp-cloud-api.md §4.5)',
    channel: 'whatsapp',
    status: 400,
    body: {
      error: {
        message: '(#130429) Rate limit hit',
        type: 'OAuthException',
        code: 130429,
        error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
        error_subcode: 2494055,
        fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam',
      },
    },
    failure: { code: 130429, subcode: 2494055, title: 'Rate limit hit' },
    message: '(#130429) Rate limit hit (type OAuthException, fbtrace_id Az8or2yhqkZfEZ-_4Qn_Bam)',
    outcome: { action: 'retry', reason: 'throughput_limit' },
  },
  {
    name: 'WhatsApp 131050 marketing opt-out',
    channel: 'whatsapp',
    status: 400,
    body: {
      error: {
        message: '(#131050) Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
        type: 'OAuthException',
        code: 131050,
        error_data: { messaging_product: 'whatsapp', details: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business' },
        fbtrace_id: 'A4eNLr7u0Vs',
      },
    },
    failure: { code: 131050, title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business' },
    outcome: { action: 'stop_contact', reason: 'marketing_opted_out' },
  },
  {
    name: 'Messenger 10/2018278 outside the allowed window',
    channel: 'messenger',
    status: 400,
    body: { error: { message: '(#10) This message is sent outside of allowed window.', type: 'OAuthException', code: 10, error_subcode: 2018278, fbtrace_id: 'AqL2eM6nX1w' } },
    failure: { code: 10, subcode: 2018278, title: 'This message is sent outside of allowed window.' },
    message: '(#10) This message is sent outside of allowed window. (type OAuthException, fbtrace_id AqL2eM6nX1w)',
    outcome: { action: 'drop', reason: 'window_closed' },
  },
  {
    // Same code as plain "permission denied": only the subcode tells a restricted Page apart.
    name: 'Messenger 10/1893063 Page restricted from messaging',
    channel: 'messenger',
    status: 400,
    body: { error: { message: '(#10) This Page is temporarily restricted from sending messages.', type: 'OAuthException', code: 10, error_subcode: 1893063, fbtrace_id: 'B7d0Tq1k9Zs' } },
    failure: { code: 10, subcode: 1893063, title: 'This Page is temporarily restricted from sending messages.' },
    outcome: { action: 'flag_account', reason: 'page_restricted' },
  },
  {
    name: 'Messenger 10/1893015 topic stopped',
    channel: 'messenger',
    status: 400,
    body: { error: { message: '(#10) User has stopped notification messages for this topic.', type: 'OAuthException', code: 10, error_subcode: 1893015, fbtrace_id: 'C1x' } },
    failure: { code: 10, subcode: 1893015, title: 'User has stopped notification messages for this topic.' },
    outcome: { action: 'stop_contact', reason: 'opt_in_stopped' },
  },
  {
    name: 'Messenger 551/1545041 person unavailable',
    channel: 'messenger',
    status: 400,
    body: { error: { message: "(#551) This person isn't available right now.", type: 'OAuthException', code: 551, error_subcode: 1545041, fbtrace_id: 'D2y' } },
    failure: { code: 551, subcode: 1545041, title: "This person isn't available right now." },
    outcome: { action: 'stop_contact', reason: 'recipient_unavailable' },
  },
  {
    name: 'Graph 190/463 expired access token (HTTP 401)',
    channel: 'messenger',
    status: 401,
    body: {
      error: {
        message: 'Error validating access token: Session has expired on Tuesday, 12-May-26 10:00:00 PDT.',
        type: 'OAuthException',
        code: 190,
        error_subcode: 463,
        fbtrace_id: 'E3z',
      },
    },
    failure: { code: 190, subcode: 463, title: 'Error validating access token: Session has expired on Tuesday, 12-May-26 10:00:00 PDT.' },
    message: 'Error validating access token: Session has expired on Tuesday, 12-May-26 10:00:00 PDT. (type OAuthException, fbtrace_id E3z)',
    outcome: { action: 'flag_account', reason: 'token_invalid' },
  },
  {
    name: 'Messenger Marketing Message API 2300034 opted out (code only)',
    channel: 'messenger',
    status: 400,
    body: { error: { message: 'The user has opted out of marketing messages.', type: 'OAuthException', code: 2300034, fbtrace_id: 'F4a' } },
    failure: { code: 2300034, subcode: undefined, title: 'The user has opted out of marketing messages.' },
    outcome: { action: 'stop_contact', reason: 'marketing_opted_out' },
  },
  {
    name: 'Graph 1 transient (HTTP 500, is_transient)',
    channel: 'whatsapp',
    status: 500,
    body: { error: { message: 'An unknown error has occurred.', type: 'OAuthException', is_transient: true, code: 1, fbtrace_id: 'G5b' } },
    failure: { code: 1, subcode: undefined, title: 'An unknown error has occurred.' },
    outcome: { action: 'retry', reason: 'transient_error' },
  },
];

describe('GraphApiClient: Meta error bodies', () => {
  it.each(errorCases)('$name', async ({ channel, status, body, failure, message, outcome }) => {
    graph.answers.push(json(status, body));
    const result = await client().send(requestOn(channel));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // Exact: an extra or missing field (a subcode from the wrong key, a dropped code) fails here.
    expect(result.failure).toStrictEqual({ channel, httpStatus: status, code: failure.code, subcode: failure.subcode, title: failure.title, requestSent: true });
    if (message !== undefined) expect(result.message).toBe(message);
    expect(classifyGraphError(result.failure)).toMatchObject(outcome);
  });

  it('carries the type and fbtrace_id into the message, and cuts an overlong message', async () => {
    graph.answers.push(json(400, { error: { message: `(#100) ${'x'.repeat(1000)}`, type: 'OAuthException', code: 100, fbtrace_id: 'H6c' } }));
    const result = await client().send(whatsappSend);
    expect(result.ok ? undefined : result.message).toBe(`(#100) ${'x'.repeat(293)} (type OAuthException, fbtrace_id H6c)`);
  });

  it('reports an HTML 502 page as a bare HTTP failure, which the classifier never reads as a Meta code', async () => {
    graph.answers.push({ status: 502, contentType: 'text/html', body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>' });
    const result = await client().send(whatsappSend);
    expect(result).toStrictEqual({ ok: false, failure: { channel: 'whatsapp', httpStatus: 502, code: undefined, subcode: undefined, requestSent: true }, message: undefined });
  });

  it('reports a non-numeric code or subcode as absent rather than guessing', async () => {
    graph.answers.push(json(400, { error: { message: 'odd', type: 'OAuthException', code: '131047', error_subcode: '2018278', fbtrace_id: 'I7d' } }));
    const result = await client().send(messengerSend);
    expect(result.ok ? undefined : result.failure).toStrictEqual({ channel: 'messenger', httpStatus: 400, code: undefined, subcode: undefined, title: 'odd', requestSent: true });
  });
});

describe('GraphApiClient: transport failures', () => {
  it('reports a call Meta never answers as a timeout after sending: it may have gone out', async () => {
    graph.answers.push('hang');
    const result = await client({ timeoutMs: 50 }).send(whatsappSend);
    expect(result).toEqual({ ok: false, failure: { channel: 'whatsapp', transport: 'timeout', requestSent: true } });
    expect(graph.received).toHaveLength(1);
    expect(classifyGraphError(result.ok ? { channel: 'whatsapp', requestSent: false } : result.failure)).toEqual({ action: 'unknown', reason: 'timeout_after_send' });
  });

  it('reports an answer that breaks off mid-body as sent, with its status', async () => {
    graph.answers.push('truncate');
    const result = await client().send(whatsappSend);
    expect(result.ok ? undefined : result.failure).toEqual({ channel: 'whatsapp', transport: 'connection_reset', httpStatus: 200, requestSent: true });
  });

  it('reports a refused connection as not sent, which is safe to retry', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await client({ url: `http://127.0.0.1:${port}` }).send(whatsappSend);
    expect(result).toEqual({ ok: false, failure: { channel: 'whatsapp', transport: 'connection_refused', requestSent: false } });
    expect(classifyGraphError(result.ok ? { channel: 'whatsapp', requestSent: true } : result.failure)).toMatchObject({ action: 'retry', reason: 'connection_refused_before_send' });
  });

  it('reports a token it cannot read as not sent, without calling Meta', async () => {
    const broken = new GraphApiClient({ baseUrl, version: 'v25.0', tokens: { tokenFor: () => Promise.reject(new Error('secret not found')) } });
    const result = await broken.send(whatsappSend);
    expect(result).toEqual({
      ok: false,
      failure: { channel: 'whatsapp', transport: 'connection_refused', requestSent: false },
      message: 'credentials unavailable: secret not found',
    });
    expect(graph.received).toHaveLength(0);
  });
});

describe('GraphApiClient: thread control (Conversation Routing)', () => {
  const PSID = '6254481371233015';
  const INBOX_APP = '263902037430900';

  it('passes the thread with the recipient, the target app and the metadata, on the Page token, and reads success', async () => {
    graph.answers.push(json(200, { success: true }));
    const result = await client({ appSecret: 'app-secret' }).threadControl({
      channel: 'messenger',
      accountId: PAGE_ID,
      userId: PSID,
      action: 'pass',
      targetAppId: INBOX_APP,
      metadata: 'afterchat:handoff',
    });
    expect(result).toEqual({ ok: true });
    expect(tokens.tokenFor).toHaveBeenCalledWith({ channel: 'messenger', accountId: PAGE_ID });
    const url = new URL(graph.received[0]?.url ?? '', baseUrl);
    expect(url.pathname).toBe(`/v25.0/${PAGE_ID}/pass_thread_control`);
    expect(url.searchParams.get('appsecret_proof')).toBe(createHmac('sha256', 'app-secret').update('EAAG-page-token').digest('hex'));
    expect(graph.received[0]).toMatchObject({
      method: 'POST',
      authorization: 'Bearer EAAG-page-token',
      body: { recipient: { id: PSID }, target_app_id: INBOX_APP, metadata: 'afterchat:handoff' },
    });
  });

  it('takes the thread back with the recipient alone on an Instagram account', async () => {
    graph.answers.push(json(200, { success: true }));
    const result = await client().threadControl({ channel: 'instagram', accountId: '17841400000000001', userId: 'IGSID-1', action: 'take' });
    expect(result).toEqual({ ok: true });
    expect(graph.received).toEqual([
      {
        method: 'POST',
        url: '/v25.0/17841400000000001/take_thread_control',
        authorization: 'Bearer EAAG-page-token',
        contentType: 'application/json',
        body: { recipient: { id: 'IGSID-1' } },
      },
    ]);
  });

  it("reports Meta's refusal with its code and message", async () => {
    graph.answers.push(json(400, { error: { message: '(#200) Permissions error', type: 'OAuthException', code: 200, fbtrace_id: 'A1' } }));
    const result = await client().threadControl({ channel: 'messenger', accountId: PAGE_ID, userId: PSID, action: 'pass', targetAppId: INBOX_APP });
    expect(result).toEqual({
      ok: false,
      failure: { channel: 'messenger', httpStatus: 400, code: 200, title: 'Permissions error', requestSent: true },
      message: '(#200) Permissions error (type OAuthException, fbtrace_id A1)',
    });
  });

  it('reports a 200 without success: true as a failure', async () => {
    graph.answers.push(json(200, { success: false }));
    const result = await client().threadControl({ channel: 'messenger', accountId: PAGE_ID, userId: PSID, action: 'take' });
    expect(result).toEqual({ ok: false, failure: { channel: 'messenger', httpStatus: 200, requestSent: true }, message: 'answered without success: true' });
  });
});
