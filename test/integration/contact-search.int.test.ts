/**
 * Interface under test: the contact search (`GET /admin/contacts/{channel}/{accountId}`) and its CSV
 * export (`?format=csv`) over HTTP on the local stack, with a few hundred Messenger contacts written
 * through webhooks (the account's listing, opt-in tokens) and profile PUTs (tags, attributes). Every
 * filter's answer, walked a small page at a time across the 64 shards, is exactly the contacts that
 * match; the export's rows are the search's.
 */
import { runAfterchat } from '../helpers/cli-run';
import { startTestStack, type TestStack } from '../helpers/local-stack';
import { PAGE } from '../helpers/sample-ids';

const CONTACTS = Number(process.env.SEARCH_TEST_CONTACTS ?? 240);
const psid = (i: number) => String(7_100_000_000_000_000 + i);
const isVip = (i: number) => i % 3 === 0;
const city = (i: number) => (i % 5 === 0 ? 'Leipzig' : 'Berlin');
const optedIn = (i: number) => i % 7 === 0;

interface SearchBody {
  contacts: { userId: string; tags: string[]; attributes: Record<string, string>; window: { open: boolean }; optIns: { topic: string | null; status: string }[] }[];
  scanned: number;
  cursor?: string;
}

describe('the contact search on the local stack', () => {
  let stack: TestStack;
  const indexes = Array.from({ length: CONTACTS }, (_, i) => i);

  const pageEvents = (events: object[]) => ({ object: 'page', entry: [{ id: PAGE, time: stack.now.value, messaging: events }] });
  const from = (i: number, body: object) => ({ sender: { id: psid(i) }, recipient: { id: PAGE }, timestamp: stack.now.value - 60_000, ...body });

  const inChunks = async <T>(items: readonly T[], size: number, run: (chunk: readonly T[]) => Promise<void>) => {
    for (let at = 0; at < items.length; at += size) await run(items.slice(at, at + size));
  };

  beforeAll(async () => {
    stack = await startTestStack();
    await inChunks(indexes, 50, async (chunk) => {
      expect((await stack.post(pageEvents(chunk.map((i) => from(i, { message: { mid: `m_search_${i}`, text: 'Hallo' } }))))).status).toBe(200);
    });
    const optIns = indexes.filter(optedIn).map((i) =>
      from(i, { optin: { type: 'notification_messages', payload: 'WEEKLY_DEALS', title: 'Weekly deals', notification_messages_token: `74029817364555${String(i).padStart(5, '0')}` } }),
    );
    await inChunks(optIns, 50, async (chunk) => {
      expect((await stack.post(pageEvents([...chunk]))).status).toBe(200);
    });
    await inChunks(indexes, 16, async (chunk) => {
      await Promise.all(
        chunk.map(async (i) => {
          const response = await fetch(`${stack.url}/admin/contacts/messenger/${PAGE}/${psid(i)}/profile`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ tags: isVip(i) ? ['vip', 'newsletter'] : ['newsletter'], attributes: { city: city(i) } }),
          });
          expect(response.status).toBe(200);
        }),
      );
    });
  }, 120_000);
  afterAll(async () => stack?.close());

  const search = async (query: Record<string, string>, limit = 7) => {
    const found: SearchBody['contacts'] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const params = new URLSearchParams({ ...query, limit: String(limit), ...(cursor === undefined ? {} : { cursor }) });
      const page = await stack.getJson<SearchBody>(`/admin/contacts/messenger/${PAGE}?${params.toString()}`);
      expect(page.contacts.length).toBeLessThanOrEqual(limit);
      found.push(...page.contacts);
      cursor = page.cursor;
      pages += 1;
    } while (cursor !== undefined);
    return { found, pages };
  };

  const expected = (match: (i: number) => boolean) => indexes.filter(match).map(psid).sort();

  it.each([
    ['a tag', { tag: 'vip' }, isVip],
    ['an attribute', { attribute: 'city:Leipzig' }, (i: number) => city(i) === 'Leipzig'],
    ['a topic', { topic: 'WEEKLY_DEALS' }, optedIn],
    ['a tag and an attribute', { tag: 'vip', attribute: 'city:Leipzig' }, (i: number) => isVip(i) && city(i) === 'Leipzig'],
    ['a topic and an attribute', { topic: 'WEEKLY_DEALS', attribute: 'city:Berlin', windowOpen: 'true' }, (i: number) => optedIn(i) && city(i) === 'Berlin'],
  ])('finds exactly the contacts matching %s, page after page', async (_name, query, match) => {
    // Act
    const { found, pages } = await search(query);

    // Assess
    const ids = found.map((c) => c.userId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(expected(match));
    expect(pages).toBeGreaterThan(1);
  });

  it('reads the window at the clock: a day later every window is closed', async () => {
    // Prepare
    const open = await search({ tag: 'vip', windowOpen: 'false' });
    stack.now.value += 25 * 3_600_000;

    // Act
    const closed = await search({ tag: 'vip', windowOpen: 'false' }).finally(() => {
      stack.now.value -= 25 * 3_600_000;
    });

    // Assess
    expect(open.found).toEqual([]);
    expect(closed.found.map((c) => c.userId).sort()).toEqual(expected(isVip));
  });

  it('answers a contact with its tags, attributes, window and opt-ins', async () => {
    // Act
    const { found } = await search({ tag: 'vip', attribute: 'city:Leipzig', topic: 'WEEKLY_DEALS' });

    // Assess
    expect(found.find((c) => c.userId === psid(0))).toEqual({
      channel: 'messenger',
      accountId: PAGE,
      userId: psid(0),
      tags: ['vip', 'newsletter'],
      attributes: { city: 'Leipzig' },
      timeZone: null,
      window: { open: true, lastInboundAt: new Date(stack.now.value - 60_000).toISOString() },
      marketingOptOut: false,
      optIns: [{ topic: 'WEEKLY_DEALS', status: 'active' }],
    });
  });

  it('exports as CSV the rows the search answers, in its order', async () => {
    // Prepare
    const { found } = await search({ tag: 'vip' }, 20);

    // Act
    let csv = '';
    let cursor: string | undefined;
    do {
      const params = new URLSearchParams({ tag: 'vip', format: 'csv', limit: '20', ...(cursor === undefined ? {} : { cursor }) });
      const response = await fetch(`${stack.url}/admin/contacts/messenger/${PAGE}?${params.toString()}`);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      csv += await response.text();
      cursor = response.headers.get('x-afterchat-cursor') ?? undefined;
    } while (cursor !== undefined);

    // Assess
    const [header, ...rows] = csv.trimEnd().split('\r\n');
    expect(header).toBe('channel,accountId,userId,tags,attributes,timeZone,windowOpen,lastInboundAt,marketingOptOut,optIns');
    expect(rows.map((row) => row.split(',')[2])).toEqual(found.map((c) => c.userId));
  });

  it('exports the segment with the CLI, every page into one CSV file', async () => {
    // Prepare
    const { found } = await search({ topic: 'WEEKLY_DEALS' }, 20);

    // Act
    const run = await runAfterchat(['contacts', 'export-segment', 'messenger', PAGE, '--topic', 'WEEKLY_DEALS'], { env: { AFTERCHAT_URL: stack.url } });

    // Assess
    const [header, ...rows] = run.stdout.trimEnd().split('\r\n');
    expect(run.code).toBe(0);
    expect(header?.startsWith('channel,accountId,userId,')).toBe(true);
    expect(rows.map((row) => row.split(',')[2])).toEqual(found.map((c) => c.userId));
    expect(run.stderr).toContain(`exported ${found.length} contacts`);
  });

  it('searches with the CLI: a table, or the page as JSON', async () => {
    // Act
    const table = await runAfterchat(['contacts', 'search', 'messenger', PAGE, '--tag', 'vip', '--attr', 'city:Leipzig', '--limit', '100'], { env: { AFTERCHAT_URL: stack.url } });
    const json = await runAfterchat(['contacts', 'search', 'messenger', PAGE, '--tag', 'vip', '--attr', 'city:Leipzig', '--limit', '100', '--json'], { env: { AFTERCHAT_URL: stack.url } });

    // Assess
    const matching = expected((i) => isVip(i) && city(i) === 'Leipzig');
    expect(table.code).toBe(0);
    for (const userId of matching) expect(table.stdout).toContain(userId);
    expect(((JSON.parse(json.stdout) as SearchBody).contacts.map((c) => c.userId)).sort()).toEqual(matching);
  });

  it('refuses a cursor it didn’t give, and one of another listing', async () => {
    // Prepare
    const tagPage = await stack.getJson<SearchBody>(`/admin/contacts/messenger/${PAGE}?tag=vip&limit=2`);

    // Act
    const mangled = await fetch(`${stack.url}/admin/contacts/messenger/${PAGE}?cursor=not-a-cursor`);
    const foreign = await fetch(`${stack.url}/admin/contacts/messenger/${PAGE}?topic=WEEKLY_DEALS&cursor=${tagPage.cursor}`);

    // Assess
    expect(mangled.status).toBe(400);
    expect(await foreign.json()).toEqual({ error: 'page cursor belongs to another listing' });
  });
});
