/**
 * Chaos: `kill -9` the local stack in the middle of a 1,000-contact campaign, and again in the middle
 * of a burst of 300 one-off sends; restart it; every job must end in a terminal state and nobody may
 * receive anything twice. The Meta simulator runs in a process of its own, so it outlives each kill
 * and counts what every person received. The table lives in the integration project's dynalite
 * (another process too); the stack's queues die with it, as a crash loses what was in flight.
 *
 * Without the sweeper, jobs whose messages died with the queue stay `queued`, jobs claimed at the
 * kill stay `claimed`, and the occurrence stays `running`: every wait below then times out.
 */
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbOccurrenceStore } from '../../lambdas/adapters/dynamodb/occurrence-store';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import type { ReceivedCounts } from '../../lambdas/local/meta-simulator/received-counts';
import type { OutboxRecord } from '../../lambdas/ports/outbox';
import { signBody } from '../../lambdas/webhook/signature';
import { type ChaosCounts, chaosCounts, isTerminal } from '../helpers/chaos/chaos-counts';
import { type Child, startChild } from '../helpers/chaos/child';
import { PHONE, WABA } from '../helpers/sample-ids';

const SECRET = 'chaos-app-secret';
const TOKENS = { [PHONE]: 'token-whatsapp' };
const CAMPAIGN_ID = 'chaos-campaign';
const CAMPAIGN_SIZE = 1000;
const BURST_SIZE = 300;
const SETTLE_MS = 240_000;
const waIds = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);
const campaignPeople = waIds(CAMPAIGN_SIZE, '491510');
const burstPeople = waIds(BURST_SIZE, '491520');

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const report = (name: string, counts: ChaosCounts) => process.stdout.write(`chaos ${name}: ${JSON.stringify(counts)}\n`);

describe('chaos: kill -9 mid-work, restart, nothing stranded, nobody messaged twice', () => {
  const doc = documentClient({ endpoint: process.env.DDB_ENDPOINT, region: 'local' });
  const tableName = `chaos-${randomUUID()}`;
  const outbox = new DynamoDbOutbox(doc, tableName);
  const occurrences = new DynamoDbOccurrenceStore(doc, tableName);
  let simulator: Child;
  let stack: Child | undefined;
  let port: number;
  let offsetMs = 0;

  /** Short deadlines, so recovery takes seconds: claims stale after 5 s, leases of 6 s, a 3 s grace, a sweep every second. */
  const startStack = async (): Promise<Child> =>
    startChild(join(__dirname, '..', 'helpers', 'chaos', 'stack-process.ts'), {
      CHAOS_STACK: JSON.stringify({
        port,
        tableName,
        dynamoEndpoint: process.env.DDB_ENDPOINT,
        graphBaseUrl: simulator.url,
        appSecret: SECRET,
        tokens: TOKENS,
        offsetMs,
        staleClaimMs: 5000,
        graphTimeoutMs: 2000,
        ratePerSecond: 150,
        senderConcurrency: 4,
        dispatchTuning: { pageSize: 25, leaseMs: 6000 },
        sweeper: { intervalMs: 1000, settings: { graceMs: 3000, maxBackoffMs: 12_000 } },
      }),
    });
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const webhook = async (field: string, value: object) => {
    const text = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: WABA, time: Math.floor((Date.now() + offsetMs) / 1000), changes: [{ field, value }] }] });
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/meta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(text, SECRET) },
      body: text,
    });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  };
  const received = async (): Promise<ReceivedCounts> => (await (await fetch(`${simulator.url}/_simulator/received`)).json()) as ReceivedCounts;
  const receivedBy = async (people: readonly string[]): Promise<number> => {
    const counts = await received();
    return people.reduce((n, p) => n + (counts.byRecipient[`whatsapp#${PHONE}#${p}`] ?? 0), 0);
  };
  const killWhen = async (done: () => Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + 120_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('the work never got far enough to be interrupted');
      await sleep(100);
    }
    await stack?.kill9();
    stack = undefined;
  };
  /** Reads the jobs until every one is terminal (and `also` holds), or the time is up: then what is left pending shows in the counts. */
  const settle = async (ids: () => Promise<string[]>, also: () => Promise<boolean> = () => Promise.resolve(true)): Promise<OutboxRecord[]> => {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const records = await outbox.getMany(await ids());
      if ((records.every(isTerminal) && (await also())) || Date.now() > deadline) return records;
      await sleep(1000);
    }
  };

  beforeAll(async () => {
    port = await freePort();
    simulator = await startChild(join(__dirname, '..', 'helpers', 'chaos', 'simulator-process.ts'), {
      CHAOS_SIMULATOR: JSON.stringify({
        appSecret: SECRET,
        tokens: TOKENS,
        whatsappNumbers: { [PHONE]: { wabaId: WABA, displayPhoneNumber: '15550783881' } },
        templates: [{ accountId: PHONE, name: 'order_update', language: 'de', category: 'UTILITY' }],
        throughputPerSecond: 1000,
      }),
    });
    stack = await startStack();
    const account = await call('PUT', `/admin/accounts/whatsapp/${PHONE}`, { displayName: 'Shop WA', tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin', wabaId: WABA });
    if (account.status >= 300) throw new Error(`account PUT answered ${account.status}`);
    await webhook('message_template_status_update', {
      event: 'APPROVED',
      message_template_id: 1689556908000001,
      message_template_name: 'order_update',
      message_template_language: 'de',
      reason: null,
      message_template_category: 'UTILITY',
    });
    // An unlimited portfolio: the burst's 300 new people are all sendable, none over the messaging limit.
    await webhook('phone_number_quality_update', { display_phone_number: '15550783881', event: 'UPGRADE', max_daily_conversations_per_business: 'TIER_UNLIMITED' });
    const at = String(Math.floor((Date.now() + offsetMs) / 1000) - 3600);
    for (let i = 0; i < campaignPeople.length; i += 500) {
      const messages = campaignPeople.slice(i, i + 500).map((waId) => ({ from: waId, id: `wamid.seed-${waId}`, timestamp: at, type: 'text', text: { body: 'hi' } }));
      await webhook('messages', { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE }, messages });
    }
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await simulator?.stop();
    doc.destroy();
  });

  it('finishes a 1,000-contact campaign killed mid-run: every job terminal, the occurrence done, nobody twice', async () => {
    // A one-off firing at a whole minute ahead; the stack's clock then jumps to just before it.
    const firing = new Date(Math.ceil((Date.now() + offsetMs + 120_000) / 60_000) * 60_000).toISOString();
    const put = await call('PUT', `/admin/campaigns/${CAMPAIGN_ID}`, {
      id: CAMPAIGN_ID,
      name: 'Chaos',
      accounts: [{ channel: 'whatsapp', accountId: PHONE }],
      audience: {},
      content: { type: 'template', name: 'order_update', language: 'de' },
      kind: 'utility',
      schedule: { kind: 'once', at: firing },
      status: 'draft',
    });
    expect(put.status).toBe(201);
    expect((await call('POST', `/admin/campaigns/${CAMPAIGN_ID}/schedule`)).status).toBe(200);
    offsetMs = Date.parse(firing) - 1500 - Date.now();
    stack?.tell(`offset ${offsetMs}`);

    const group = `${CAMPAIGN_ID}#${firing}`;
    const jobIds = async (): Promise<string[]> => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await outbox.listGroup(group, cursor, 500);
        ids.push(...page.outboxIds);
        cursor = page.cursor;
      } while (cursor !== undefined);
      return ids;
    };
    await killWhen(async () => (await receivedBy(campaignPeople)) >= 150);
    const atKill = await outbox.getMany(await jobIds());
    const occurrenceAtKill = await occurrences.get(CAMPAIGN_ID, firing);
    stack = await startStack();

    const records = await settle(jobIds, async () => (await occurrences.get(CAMPAIGN_ID, firing))?.status === 'done');
    const counts = chaosCounts(records, await received(), atKill.filter((r) => !isTerminal(r)).length);
    report('campaign', counts);
    const occurrence = await occurrences.get(CAMPAIGN_ID, firing);

    // The kill did strand work: on the code before the sweeper, it stayed so.
    expect(occurrenceAtKill?.status).toBe('running');
    expect(counts.pendingAtKill).toBeGreaterThan(0);
    expect(occurrence?.status).toBe('done');
    expect(occurrence?.counts.enqueued).toBe(CAMPAIGN_SIZE);
    expect(counts).toMatchObject({ jobs: CAMPAIGN_SIZE, terminal: CAMPAIGN_SIZE, duplicates: 0, sentButNotReceived: 0 });
    expect(counts.sent + counts.unknown + counts.failed + counts.skipped).toBe(CAMPAIGN_SIZE);
    // Everyone received at most one message, and every one they received is a job's sent or unknown one.
    expect(counts.received).toBeGreaterThanOrEqual(counts.sent);
    expect(counts.received).toBeLessThanOrEqual(counts.sent + counts.unknown);
  }, 420_000);

  it('finishes a burst of 300 one-off sends killed mid-burst: every job terminal, nobody twice', async () => {
    const answered = new Map<number, string>();
    let killed = false;
    const post = async (i: number): Promise<void> => {
      const intent = { channel: 'whatsapp', accountId: PHONE, userId: burstPeople[i], kind: 'utility', author: 'bot', content: { type: 'template', name: 'order_update', language: 'de' } };
      try {
        const response = await call('POST', '/admin/sends', { intent, idempotencyKey: `chaos-burst-${i}` });
        if (response.status === 200 || response.status === 202) answered.set(i, String(response.body.outboxId));
      } catch {
        // The stack died under this request: the caller retries it with the same key once it is back.
      }
    };
    const postAll = async (stopOnKill: boolean): Promise<void> => {
      let next = 0;
      const worker = async () => {
        while (next < BURST_SIZE && !(stopOnKill && killed)) {
          const i = next++;
          if (!answered.has(i)) await post(i);
        }
      };
      await Promise.all(Array.from({ length: 20 }, worker));
    };
    const burst = postAll(true);
    // Mid-burst: sends arriving, and jobs in flight that the kill strands.
    const inFlight = async () => (await outbox.getMany([...answered.values()])).filter((r) => !isTerminal(r)).length;
    await killWhen(async () => (await receivedBy(burstPeople)) >= 60 && (await inFlight()) >= 15);
    killed = true;
    await burst;
    const atKill = await outbox.getMany([...answered.values()]);
    stack = await startStack();
    await postAll(false);

    expect(answered.size).toBe(BURST_SIZE);
    const records = await settle(() => Promise.resolve([...answered.values()]));
    const counts = chaosCounts(records, await received(), atKill.filter((r) => !isTerminal(r)).length);
    report('burst', counts);

    expect(counts.pendingAtKill).toBeGreaterThan(0);
    expect(counts).toMatchObject({ jobs: BURST_SIZE, terminal: BURST_SIZE, duplicates: 0, sentButNotReceived: 0 });
    expect(counts.received).toBeGreaterThanOrEqual(counts.sent);
    expect(counts.received).toBeLessThanOrEqual(counts.sent + counts.unknown);
  }, 420_000);
});
