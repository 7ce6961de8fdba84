/**
 * Interface under test: the local stack's admin API (`GET /admin/campaigns/{id}/occurrences/
 * {occurrenceKey}/recipients`) over a campaign the sender really sent through the Meta simulator:
 * Meta limited some recipients (131049), others had stopped marketing messages (131050), and it
 * delivered and read the rest. Each state's pages list exactly its people, and the cursor walks them all.
 */
import { PHONE } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';
import { adminCaller } from '../helpers/admin-contract';
import { approveMarketingTemplate, fireCampaign, writtenADayAgo } from '../helpers/sent-campaign';

const PEOPLE = Array.from({ length: 9 }, (_, i) => `49151000081${String(i).padStart(2, '0')}`);
const LIMITED = PEOPLE.slice(0, 3);
const OPTED_OUT = PEOPLE.slice(3, 5);
const READ = PEOPLE.slice(5);

interface Row {
  userId: string;
  outboxId: string;
  states: string[];
  reached: string[];
  failure: { code: number | null; title: string | null } | null;
}

describe('an occurrence’s recipients on the local stack', () => {
  let stack: SendingStack;
  let path = '';
  // Contract-checked: every admin answer is held to lambdas/admin/contract/.
  const call = adminCaller(() => stack.url);

  /** Every page of the listing, following its cursor `limit` at a time. */
  const walk = async (query: Record<string, string>): Promise<{ rows: Row[]; pages: number }> => {
    const rows: Row[] = [];
    let pages = 0;
    let cursor: string | undefined;
    do {
      const params = new URLSearchParams({ ...query, ...(cursor === undefined ? {} : { cursor }) });
      const answer = await call('GET', `${path}?${params.toString()}`);
      expect(answer.status).toBe(200);
      rows.push(...(answer.body.recipients as Row[]));
      cursor = answer.body.cursor as string | undefined;
      pages += 1;
    } while (cursor !== undefined);
    return { rows, pages };
  };
  const usersOf = (rows: Row[]) => rows.map((r) => r.userId).sort();

  beforeAll(async () => {
    stack = await startSendingStack();
    expect(await approveMarketingTemplate(stack, { name: 'autumn_sale', language: 'de' })).toBe(200);
    await writtenADayAgo(stack, { people: PEOPLE, limited: LIMITED, optedOut: OPTED_OUT });
    const occurrenceKey = await fireCampaign(stack, {
      id: 'autumn',
      name: 'Autumn',
      accounts: [{ channel: 'whatsapp', accountId: PHONE }],
      audience: {},
      content: { type: 'template', name: 'autumn_sale', language: 'de' },
      kind: 'marketing',
      status: 'draft',
    });
    path = `/admin/campaigns/autumn/occurrences/${encodeURIComponent(occurrenceKey)}/recipients`;
  }, 300_000);
  afterAll(async () => {
    await stack.close();
  });

  it('walks every recipient once with the cursor, two at a time', async () => {
    const { rows, pages } = await walk({ limit: '2' });
    expect(usersOf(rows)).toEqual([...PEOPLE].sort());
    expect(new Set(rows.map((r) => r.outboxId)).size).toBe(PEOPLE.length);
    expect(pages).toBe(Math.ceil(PEOPLE.length / 2));
  });

  it('lists exactly the people in each state, with Meta’s error for the limited and the failed', async () => {
    const limited = await walk({ state: 'limited_by_meta', limit: '2' });
    expect(usersOf(limited.rows)).toEqual([...LIMITED].sort());
    for (const row of limited.rows) expect(row).toMatchObject({ states: ['limited_by_meta'], reached: ['limited'], failure: { code: 131049 } });

    const failed = await walk({ state: 'failed', limit: '2' });
    expect(usersOf(failed.rows)).toEqual([...OPTED_OUT].sort());
    for (const row of failed.rows) expect(row).toMatchObject({ states: ['failed'], failure: { code: 131050 } });

    const read = await walk({ state: 'read_not_clicked', limit: '2' });
    expect(usersOf(read.rows)).toEqual([...READ].sort());
    for (const row of read.rows) expect(row).toMatchObject({ reached: ['delivered', 'read'], failure: null });

    for (const state of ['not_delivered', 'not_read', 'clicked_not_converted', 'skipped']) expect((await walk({ state })).rows).toEqual([]);
  });

  it('refuses a cursor it never gave', async () => {
    const answer = await call('GET', `${path}?cursor=not-a-cursor`);
    expect(answer).toMatchObject({ status: 400, body: { error: expect.stringMatching(/page cursor/) as unknown } });
  });
});
