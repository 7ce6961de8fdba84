/**
 * `npm run bench:search [-- --contacts N]`: the contact search's acceptance on 20,000 contacts
 * (issue 14: search by tag, attribute and topic returns exactly the matching contacts, paged, and the
 * export's rows equal the search's). On the local stack (dynalite in memory), behind a metering
 * proxy: seeds N Messenger contacts (signed webhooks: messages, every 7th an opt-in token; profiles:
 * every 3rd tagged `vip`, every 5th in Leipzig, every 1,000th `tier:gold`), walks each filter's
 * pages of 100, checks the ids found against the seeded truth, and prints per filter the pages,
 * index entries read, DynamoDB Queries and read units, and the latency of a page. Exits 1 on any
 * mismatch. Latencies are local wall time (dynalite shares the CPU): the read counts are what transfers.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbContactProfiles } from '../lambdas/adapters/dynamodb/contact-profiles';
import { startDynalite } from '../lambdas/local/dynalite-server';
import { startLocalStack } from '../lambdas/local/local-stack';
import { mapLimit } from '../lambdas/shared/map-limit';
import { startDynamoDbMeter } from './demo/dynamodb-meter';
import { postSigned } from './demo/whatsapp-webhooks';

const APP_SECRET = 'bench-app-secret';
const PAGE_ID = '1234567890123456';
const TABLE = 'bench-search';
const PER_BODY = 100;
const PAGE_SIZE = 100;

const psid = (i: number) => String(7_100_000_000_000_000 + i);
const isVip = (i: number) => i % 3 === 0;
const city = (i: number) => (i % 5 === 0 ? 'Leipzig' : 'Berlin');
const optedIn = (i: number) => i % 7 === 0;
const isGold = (i: number) => i % 1000 === 0;

const argValue = (flag: string): string | undefined => {
  const at = process.argv.indexOf(flag);
  return at < 0 ? undefined : process.argv[at + 1];
};

const FILTERS: { name: string; query: Record<string, string>; match: (i: number) => boolean }[] = [
  { name: 'tag vip', query: { tag: 'vip' }, match: isVip },
  { name: 'attribute city:Leipzig', query: { attribute: 'city:Leipzig' }, match: (i) => city(i) === 'Leipzig' },
  { name: 'topic WEEKLY_DEALS', query: { topic: 'WEEKLY_DEALS' }, match: optedIn },
  { name: 'tag vip + city:Leipzig', query: { tag: 'vip', attribute: 'city:Leipzig' }, match: (i) => isVip(i) && city(i) === 'Leipzig' },
  { name: 'sparse: tier:gold', query: { attribute: 'tier:gold' }, match: isGold },
];

interface SearchPage {
  contacts: { userId: string }[];
  scanned: number;
  cursor?: string;
}

const percentile = (values: readonly number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;

const main = async (): Promise<void> => {
  const contacts = Number(argValue('--contacts') ?? 20_000);
  if (!Number.isInteger(contacts) || contacts < 1) throw new Error('--contacts takes a whole number ≥ 1');
  const dynalite = await startDynalite();
  const meter = await startDynamoDbMeter(dynalite.endpoint);
  const now = Date.now();
  const stack = await startLocalStack({
    appSecret: APP_SECRET,
    verifyToken: 'bench-verify-token',
    dynamoEndpoint: meter.url,
    tableName: TABLE,
    schedulerTickMs: false,
    clock: () => now,
    logger: new Logger({ serviceName: 'afterchat-bench', logLevel: 'ERROR' }),
  });
  let failed = false;
  try {
    console.log(`node ${process.version}, ${availableParallelism()} CPUs, load average ${(loadavg()[0] ?? 0).toFixed(2)}; ${contacts.toLocaleString('en')} contacts, pages of ${PAGE_SIZE}`);
    const seedStart = performance.now();
    const all = Array.from({ length: contacts }, (_, i) => i);
    const from = (i: number, body: object) => ({ sender: { id: psid(i) }, recipient: { id: PAGE_ID }, timestamp: now - 3_600_000, ...body });
    const bodies: object[][] = [];
    for (let at = 0; at < contacts; at += PER_BODY) bodies.push(all.slice(at, at + PER_BODY).map((i) => from(i, { message: { mid: `m_bench_${i}`, text: 'Hallo' } })));
    const optIns = all.filter(optedIn).map((i) => from(i, { optin: { type: 'notification_messages', payload: 'WEEKLY_DEALS', title: 'Weekly deals', notification_messages_token: `7402${String(i).padStart(12, '0')}` } }));
    for (let at = 0; at < optIns.length; at += PER_BODY) bodies.push(optIns.slice(at, at + PER_BODY));
    for (const events of bodies) await postSigned(stack.url, APP_SECRET, { object: 'page', entry: [{ id: PAGE_ID, time: now, messaging: events }] });
    const profiles = new DynamoDbContactProfiles(
      DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }), {
        marshallOptions: { removeUndefinedValues: true },
      }),
      TABLE,
    );
    await mapLimit(all, 32, (i) =>
      profiles.put({ channel: 'messenger', accountId: PAGE_ID, userId: psid(i) }, { tags: isVip(i) ? ['vip', 'newsletter'] : ['newsletter'], attributes: { city: city(i), ...(isGold(i) ? { tier: 'gold' } : {}) } }, now),
    );
    console.log(`seeding (not measured): ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const rows: string[][] = [['filter', 'matches', 'exact', 'pages', 'entries read', 'Queries', 'read units', 'page p50 ms', 'page max ms', 'total s']];
    for (const filter of FILTERS) {
      meter.take();
      const found: string[] = [];
      const latencies: number[] = [];
      let scanned = 0;
      let cursor: string | undefined;
      const started = performance.now();
      do {
        const params = new URLSearchParams({ ...filter.query, limit: String(PAGE_SIZE), ...(cursor === undefined ? {} : { cursor }) });
        const at = performance.now();
        const response = await fetch(`${stack.url}/admin/contacts/messenger/${PAGE_ID}?${params.toString()}`);
        const page = (await response.json()) as SearchPage;
        latencies.push(performance.now() - at);
        if (response.status !== 200) throw new Error(`${filter.name}: ${response.status} ${JSON.stringify(page)}`);
        found.push(...page.contacts.map((c) => c.userId));
        scanned += page.scanned;
        cursor = page.cursor;
      } while (cursor !== undefined);
      const seconds = (performance.now() - started) / 1000;
      const reads = [...meter.take().values()].reduce((sum, m) => ({ requests: sum.requests + m.requests, units: sum.units + m.capacityUnits }), { requests: 0, units: 0 });
      const truth = all.filter(filter.match).map(psid).sort();
      const exact = new Set(found).size === found.length && JSON.stringify([...found].sort()) === JSON.stringify(truth);
      failed ||= !exact;
      rows.push([filter.name, String(found.length), exact ? 'yes' : `NO (expected ${truth.length})`, String(latencies.length), String(scanned), String(reads.requests), reads.units.toFixed(1), percentile(latencies, 50).toFixed(0), Math.max(...latencies).toFixed(0), seconds.toFixed(1)]);
    }

    // The export: every CSV page of the tag's segment, against the search's pages.
    const csvIds: string[] = [];
    let cursor: string | undefined;
    do {
      const params = new URLSearchParams({ tag: 'vip', format: 'csv', limit: String(PAGE_SIZE), ...(cursor === undefined ? {} : { cursor }) });
      const response = await fetch(`${stack.url}/admin/contacts/messenger/${PAGE_ID}?${params.toString()}`);
      const lines = (await response.text()).split('\r\n').filter((line) => line !== '');
      csvIds.push(...lines.slice(csvIds.length === 0 && cursor === undefined ? 1 : 0).map((line) => line.split(',')[2] ?? ''));
      cursor = response.headers.get('x-afterchat-cursor') ?? undefined;
    } while (cursor !== undefined);
    const exportExact = JSON.stringify([...csvIds].sort()) === JSON.stringify(all.filter(isVip).map(psid).sort());
    failed ||= !exportExact;

    const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
    for (const row of rows) console.log(row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  '));
    console.log(`export (tag vip, CSV pages of ${PAGE_SIZE}): ${csvIds.length} rows, equal to the search's: ${exportExact ? 'yes' : 'NO'}`);
    console.log(
      "\nNotes: 'entries read' is index entries listed (each one contact read, a Query of its partition); a filter without a tag or topic\n" +
        "reads the account's whole listing, so the sparse filter costs ~one contact read per contact of the account, in pages of at most 1,000.",
    );
  } finally {
    await stack.close();
    await meter.close();
    await dynalite.close();
  }
  if (failed) process.exitCode = 1;
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
