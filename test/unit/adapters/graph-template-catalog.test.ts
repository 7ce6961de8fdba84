/**
 * Interface under test: GraphTemplateCatalog's calls over real HTTP (node:http on 127.0.0.1), beyond
 * the shared contract: the request it makes (fields per channel, limit, cursor, token only in the
 * header, appsecret_proof) and what it does with Meta's odd answers.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphTemplateCatalog } from '../../../lambdas/adapters/meta/graph-template-catalog';
import { TemplateCatalogError } from '../../../lambdas/ports/template-catalog';

const WABA = '102290129340398';
const PHONE = '109876543210987';
const PAGE = '1234567890123456';
const TOKEN = 'EAAG-secret-token';

let server: Server;
let baseUrl = '';
const received: { url: URL; authorization?: string; method?: string }[] = [];
const answers: { status: number; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push({ url: new URL(req.url ?? '/', 'http://x'), authorization: req.headers.authorization, method: req.method });
    const answer = answers.shift() ?? { status: 200, body: { data: [] } };
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received.length = 0;
  answers.length = 0;
});

const catalog = (appSecret?: string) =>
  new GraphTemplateCatalog({
    baseUrl,
    version: 'v25.0',
    tokens: { tokenFor: () => Promise.resolve(TOKEN) },
    appSecret: appSecret === undefined ? undefined : () => Promise.resolve(appSecret),
  });

describe('GraphTemplateCatalog: the call it makes', () => {
  it('GETs the WABA listing with the WhatsApp fields, limit, cursor and appsecret_proof, the token only in the header', async () => {
    await catalog('app-secret').listPage({ owner: { channel: 'whatsapp', accountId: WABA }, tokenAccount: { channel: 'whatsapp', accountId: PHONE }, after: 'QVFIU', limit: 50 });

    const [call] = received;
    expect(call?.method).toBe('GET');
    expect(call?.url.pathname).toBe(`/v25.0/${WABA}/message_templates`);
    expect(call?.url.searchParams.get('fields')?.split(',')).toEqual(expect.arrayContaining(['name', 'language', 'status', 'category', 'quality_score', 'components', 'id']));
    expect(call?.url.searchParams.get('limit')).toBe('50');
    expect(call?.url.searchParams.get('after')).toBe('QVFIU');
    expect(call?.url.searchParams.get('appsecret_proof')).toBe(createHmac('sha256', 'app-secret').update(TOKEN).digest('hex'));
    expect(call?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call?.url.toString()).not.toContain(TOKEN);
  });

  it("asks a Page's listing without quality_score, which Page templates don't have", async () => {
    await catalog().listPage({ owner: { channel: 'messenger', accountId: PAGE }, tokenAccount: { channel: 'messenger', accountId: PAGE } });

    expect(received[0]?.url.pathname).toBe(`/v25.0/${PAGE}/message_templates`);
    expect(received[0]?.url.searchParams.get('fields')).not.toContain('quality_score');
    expect(received[0]?.url.searchParams.get('limit')).toBe('100');
    expect(received[0]?.url.searchParams.has('appsecret_proof')).toBe(false);
  });
});

describe("GraphTemplateCatalog: Meta's answers", () => {
  const owner = { channel: 'whatsapp' as const, accountId: WABA };
  const list = () => catalog().listPage({ owner, tokenAccount: { channel: 'whatsapp', accountId: PHONE } });

  it("reads Meta's sample page: quality_score as an object, numeric ids as strings, the cursor of a page with `next`", async () => {
    answers.push({
      status: 200,
      body: {
        data: [
          { name: 'order_delivery_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY', id: '1667192013751005', quality_score: { score: 'GREEN', date: 1764590400 }, components: [{ type: 'BODY', text: 'Hi' }] },
          { name: 'legacy', language: 'de', status: 'PAUSED', id: 42, quality_score: 'RED' },
          { language: 'de', status: 'APPROVED' },
        ],
        paging: { cursors: { before: 'MAZDZD', after: 'MjQZD' }, next: `${baseUrl}/v25.0/${WABA}/message_templates?after=MjQZD` },
      },
    });

    const page = await list();

    expect(page.templates).toEqual([
      { templateId: '1667192013751005', name: 'order_delivery_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY', quality: 'GREEN', components: [{ type: 'BODY', text: 'Hi' }] },
      { templateId: '42', name: 'legacy', language: 'de', status: 'PAUSED', quality: 'RED' },
    ]);
    expect(page.unreadable).toBe(1);
    expect(page.after).toBe('MjQZD');
  });

  it('ends at a page without `next`, even when it carries cursors; takes the cursor from `next` when `cursors` is missing', async () => {
    answers.push({ status: 200, body: { data: [], paging: { cursors: { before: 'A', after: 'B' } } } });
    answers.push({ status: 200, body: { data: [], paging: { next: `${baseUrl}/v25.0/${WABA}/message_templates?limit=25&after=Q1VSU09S` } } });

    expect((await list()).after).toBeUndefined();
    expect((await list()).after).toBe('Q1VSU09S');
  });

  it("refuses a `next` it can't follow rather than call the listing complete", async () => {
    answers.push({ status: 200, body: { data: [], paging: { next: 'not a url' } } });

    await expect(list()).rejects.toBeInstanceOf(TemplateCatalogError);
  });

  it("turns Meta's error into a TemplateCatalogError with its code, never quoting the token", async () => {
    answers.push({ status: 400, body: { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190, fbtrace_id: 'AbC' } } });

    const error = (await list().catch((e: unknown) => e)) as TemplateCatalogError;

    expect(error).toBeInstanceOf(TemplateCatalogError);
    expect(error.failure).toEqual({ code: 190, httpStatus: 400 });
    expect(error.message).toContain('Invalid OAuth access token');
    expect(error.message).not.toContain(TOKEN);
  });

  it('refuses a body that is not a listing, and an unreachable Graph', async () => {
    answers.push({ status: 200, body: '<html>' });
    await expect(list()).rejects.toMatchObject({ failure: { httpStatus: 200 } });

    const nowhere = new GraphTemplateCatalog({ baseUrl: 'http://127.0.0.1:1', version: 'v25.0', tokens: { tokenFor: () => Promise.resolve(TOKEN) } });
    await expect(nowhere.listPage({ owner, tokenAccount: owner })).rejects.toMatchObject({ failure: { transport: 'unreachable' } });
  });

  it('says so when the token cannot be read, without calling Meta', async () => {
    const noToken = new GraphTemplateCatalog({ baseUrl, version: 'v25.0', tokens: { tokenFor: () => Promise.reject(new Error('account whatsapp:1 is not registered')) } });

    await expect(noToken.listPage({ owner, tokenAccount: owner })).rejects.toThrow(/credentials unavailable/);
    expect(received).toHaveLength(0);
  });
});
