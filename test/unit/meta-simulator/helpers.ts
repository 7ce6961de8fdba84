/** Shared set-up for the Meta simulator tests: ids, tokens, a controllable clock, a client and a webhook receiver. */
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MetaSimulator, type SimulatorOptions, startMetaSimulator } from '../../../lambdas/local/meta-simulator';

export const APP_SECRET = 'simulator-app-secret';
export const PAGE = '1234567890123456';
export const OTHER_PAGE = '2234567890123456';
export const IG = '17841400000000001';
export const PHONE = '109876543210987';
export const AD_ACCOUNT = 'act_556677889900';
export const PSID = '6543210987654321';
export const IGSID = '9876543210987654';
export const WA_USER = '+4915112345678';
export const WA_ID = '4915112345678';

export const TOKENS: Record<string, string> = {
  [PAGE]: 'page-token',
  [OTHER_PAGE]: 'other-page-token',
  [IG]: 'ig-token',
  [PHONE]: 'wa-token',
  [AD_ACCOUNT]: 'ads-token',
};

/** 2026-11-21T12:00:00.000Z, on a whole second so throughput tests start a fresh second. */
export const START = Date.UTC(2026, 10, 21, 12);
export const HOUR = 3_600_000;

export interface TestClock {
  now: () => number;
  advance: (ms: number) => void;
}

export const testClock = (start = START): TestClock => {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
};

export const start = (options: Partial<SimulatorOptions> = {}): Promise<MetaSimulator> =>
  startMetaSimulator({
    appSecret: APP_SECRET,
    tokens: TOKENS,
    instagramAccounts: [IG],
    whatsappNumbers: { [PHONE]: { wabaId: '102290129340398', displayPhoneNumber: '15550783881' } },
    seed: 1,
    ...options,
  });

export interface GraphErrorBody {
  error: { message: string; type: string; code: number; error_subcode?: number; error_data?: Record<string, unknown>; fbtrace_id: string };
}

export interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
}

export const post = async (
  sim: MetaSimulator,
  accountId: string,
  body: unknown,
  options: { token?: string | null; version?: string; signal?: AbortSignal } = {},
): Promise<Answer> => {
  const token = options.token === undefined ? TOKENS[accountId] : options.token;
  const response = await fetch(`${sim.url}/${options.version ?? 'v25.0'}/${accountId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null || token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: options.signal,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as unknown) : undefined };
};

/** The Graph error of an answer, asserting it is one. */
export const errorOf = (answer: Answer): GraphErrorBody['error'] => {
  expect(answer.json).toMatchObject({ error: { type: 'OAuthException', fbtrace_id: expect.any(String) as unknown } });
  return (answer.json as GraphErrorBody).error;
};

export const messengerText = (text = 'Your order shipped', extra: Record<string, unknown> = {}) => ({
  recipient: { id: PSID },
  messaging_type: 'RESPONSE',
  message: { text },
  ...extra,
});

export const waText = (to = WA_USER, extra: Record<string, unknown> = {}) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'text',
  text: { body: 'Your order shipped' },
  ...extra,
});

export const waTemplate = (name: string, to = WA_USER, extra: Record<string, unknown> = {}) => ({
  messaging_product: 'whatsapp',
  to,
  type: 'template',
  template: { name, language: { code: 'en_US' }, components: [] },
  ...extra,
});

export interface ReceivedWebhook {
  raw: Buffer;
  headers: IncomingHttpHeaders;
  json: unknown;
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Requests that were answered with an error (see failFirst). */
  refused: number;
  close(): Promise<void>;
}

/** A stand-in for afterchat's /webhooks/meta that records every POST; the first `failFirst` get a 500. */
export const startReceiver = async (options: { failFirst?: number } = {}): Promise<Receiver> => {
  const state: Receiver = { url: '', received: [], refused: 0, close: () => Promise.resolve() };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (state.refused < (options.failFirst ?? 0)) {
        state.refused += 1;
        res.writeHead(500).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      state.received.push({ raw, headers: req.headers, json: JSON.parse(raw.toString('utf8')) as unknown });
      res.writeHead(200).end('EVENT_RECEIVED');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/meta`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
};
