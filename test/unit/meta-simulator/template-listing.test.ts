/**
 * Interface under test: the simulator's template listings over HTTP, `GET /{version}/{waba_id}/message_templates`
 * and `GET /{version}/{page_id}/message_templates`, as Meta's references show them: `data[]`, cursor
 * paging with `paging.next` only when there is more, `fields`, and Graph's errors.
 */
import type { MetaSimulator } from '../../../lambdas/local/meta-simulator';
import { type Answer, errorOf, PAGE, PHONE, start, TOKENS } from './helpers';

const WABA = '102290129340398';

const get = async (sim: MetaSimulator, path: string, token: string | null = TOKENS[PHONE] ?? null, method = 'GET'): Promise<Answer> => {
  const response = await fetch(`${sim.url}${path}`, { method, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as unknown) : undefined };
};

type Listing = { data: Record<string, unknown>[]; paging?: { cursors?: { before?: string; after?: string }; next?: string } };

describe('meta simulator: template listings', () => {
  let sim: MetaSimulator;
  beforeEach(async () => {
    sim = await start({ clock: () => Date.UTC(2026, 11, 1, 12) });
  });
  afterEach(() => sim.close());

  it("lists a WABA's templates registered on its numbers, with Meta's default fields and a next link only while there is more", async () => {
    for (const name of ['a', 'b', 'c']) sim.setTemplate({ accountId: PHONE, name, language: 'de', status: 'APPROVED', category: 'UTILITY' });

    const first = await get(sim, `/v25.0/${WABA}/message_templates?limit=2`);
    const page1 = first.json as Listing;
    expect(first.status).toBe(200);
    expect(page1.data.map((t) => t.name)).toEqual(['a', 'b']);
    expect(Object.keys(page1.data[0] ?? {}).sort()).toEqual(['category', 'components', 'id', 'language', 'name', 'status']);
    expect(page1.paging?.next).toContain(`after=${page1.paging?.cursors?.after}`);
    expect(page1.paging?.next).not.toContain(TOKENS[PHONE]);

    const page2 = (await get(sim, `/v25.0/${WABA}/message_templates?limit=2&after=${page1.paging?.cursors?.after}`)).json as Listing;
    expect(page2.data.map((t) => t.name)).toEqual(['c']);
    expect(page2.paging?.next).toBeUndefined();
  });

  it('shows the asked-for fields only, with quality_score as an object for WhatsApp and none for a Page', async () => {
    sim.setTemplate({ accountId: PHONE, name: 'promo', language: 'de', status: 'PAUSED', category: 'MARKETING', quality: 'RED', id: '777' });
    sim.setTemplate({ accountId: PAGE, name: 'order_shipped', language: 'en_US', status: 'APPROVED', category: 'UTILITY' });

    const wa = (await get(sim, `/v25.0/${WABA}/message_templates?fields=name,status,quality_score,id`)).json as Listing;
    const messenger = (await get(sim, `/v25.0/${PAGE}/message_templates?fields=name,status,quality_score`, TOKENS[PAGE])).json as Listing;

    expect(wa.data).toEqual([{ name: 'promo', status: 'PAUSED', quality_score: { score: 'RED', date: Date.UTC(2026, 11, 1, 12) / 1000 }, id: '777' }]);
    expect(messenger.data).toEqual([{ name: 'order_shipped', status: 'APPROVED' }]);
  });

  it('finds a template registered on a number under the WABA the test names', async () => {
    sim.setTemplate({ accountId: '300000000000001', wabaOrPageId: '300000000000009', name: 'elsewhere', language: 'de', status: 'APPROVED', category: 'UTILITY' });

    const answer = await get(sim, '/v25.0/300000000000009/message_templates', null);
    expect(answer.status).toBe(400);

    sim.setTemplate({ accountId: PHONE, wabaOrPageId: WABA, name: 'here', language: 'de', status: 'APPROVED', category: 'UTILITY' });
    expect(((await get(sim, `/v25.0/${WABA}/message_templates`)).json as Listing).data.map((t) => t.name)).toEqual(['here']);
  });

  it.each([
    ['no token', `/v25.0/${WABA}/message_templates`, null, 190],
    ["another account's token", `/v25.0/${WABA}/message_templates`, 'page-token', 190],
    ['an unknown field', `/v25.0/${WABA}/message_templates?fields=name,secret`, undefined, 100],
    ['a bad limit', `/v25.0/${WABA}/message_templates?limit=0`, undefined, 100],
    ['a bad cursor', `/v25.0/${WABA}/message_templates?after=bm9wZQ`, undefined, 100],
  ])("refuses %s with Graph's error", async (_what, path, token, code) => {
    const answer = await get(sim, path, token === undefined ? (TOKENS[PHONE] ?? null) : token);

    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe(code);
  });

  it('answers a POST (template creation, not simulated) with 100 and an old version with 2635', async () => {
    expect(errorOf(await get(sim, `/v25.0/${WABA}/message_templates`, TOKENS[PHONE], 'POST')).code).toBe(100);

    const strict = await start({ apiVersion: 'v24.0' });
    try {
      expect(errorOf(await get(strict, `/v23.0/${WABA}/message_templates`)).code).toBe(2635);
    } finally {
      await strict.close();
    }
  });
});
