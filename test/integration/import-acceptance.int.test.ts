/**
 * Interface under test: the CSV import over HTTP on the local stack, through the import queue and
 * its worker (issue 14's acceptance). A 5,000-row CRM list with deliberate bad lines: the dry run
 * reports errors at exactly those lines and writes nothing; its sendable counts equal a campaign
 * preview's over the imported audience; the real run reports the same errors and keeps the good
 * rows; the same file imported again changes no item of the table.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import type { Campaign } from '../../lambdas/schemas/campaign';
import { type CampaignStack, startCampaignStack } from '../helpers/campaign-stack';
import { type CompletedImport, runImport } from '../helpers/import-run';
import { PAGE, PHONE } from '../helpers/sample-ids';

const ROWS = 5_000;
const DAY = 86_400_000;
const HEADER = 'channel,account,phone,first_name,tags,consent_basis,consent_source,consent_captured_at,consent_text,consent_topic';
const waId = (i: number) => String(4915_100_000_000 + i);
const psid = (i: number) => String(7_300_000_000_000_000 + i);

/** The bad lines (file lines: the header is line 1) and what is wrong with each. */
const BAD: Record<number, { cells: (i: number) => string; column: string }> = {};
const bad = (line: number, column: string, cells: (i: number) => string) => (BAD[line] = { column, cells });
bad(17, 'phone', () => `whatsapp,${PHONE},+49 77,Anna,crm,,,,,`);
bad(480, 'consent_captured_at', (i) => `whatsapp,${PHONE},+${waId(i)},Ben,crm,express,web form,2027-01-01,Yes please,offers`);
bad(1_203, '', (i) => `whatsapp,${PHONE},+${waId(i)},Cleo,crm,express,web form,2026-03-01,,offers`);
bad(2_222, 'channel', (i) => `sms,${PHONE},+${waId(i)},Dan,crm,,,,,`);
bad(3_001, '', (i) => `whatsapp,${PHONE},+${waId(i)},Eve`);
bad(4_444, 'tags', (i) => `whatsapp,${PHONE},+${waId(i)},Finn,crm;a#b,,,,,`);
bad(5_001, 'consent_basis', (i) => `whatsapp,${PHONE},+${waId(i)},Gus,crm,maybe,web form,2026-03-01,Yes,offers`);

/** Row i (file line i + 2): every 9th a Messenger PSID, every 3rd WhatsApp row without a consent, every 10th an implied one. */
const goodRow = (i: number): string => {
  if (i % 9 === 0) return `messenger,${PAGE},${psid(i)},Hana,"crm,messenger",,,,,`;
  const consent = i % 3 === 0 ? ',,,,' : `${i % 10 === 0 ? 'implied' : 'express'},checkout form,2026-03-01T09:30:00+01:00,"Yes, send me offers on WhatsApp",offers`;
  return `whatsapp,${PHONE},+${waId(i)},Name ${i},crm,${consent}`;
};
const csvFile = (): string => [HEADER, ...Array.from({ length: ROWS }, (_, i) => BAD[i + 2]?.cells(i) ?? goodRow(i))].join('\r\n') + '\r\n';

/** The contacts that exist before the import: some wrote (today's rules), one said STOP, one was erased. */
const WROTE = [1, 2, 4, 5];
const STOPPED = 7;
const ERASED = 8;

describe('the CSV import on the local stack (5,000 rows)', () => {
  let stack: CampaignStack;

  const importFile = async (options: Record<string, unknown>) => {
    const run = await runImport((method, path, body) => stack.call(method, path, body), csvFile(), options, 96 * 1024);
    expect(run.chunks).toBeGreaterThan(3);
    return run;
  };

  const errorsOf = async (importId: string) => {
    const errors: { line: number; column: string; reason: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = (await stack.call('GET', `/admin/imports/${importId}/errors?limit=3${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)).body;
      errors.push(...(page.errors as typeof errors));
      cursor = page.cursor as string | undefined;
    } while (cursor !== undefined);
    return errors;
  };

  /** Every item of the table but the import jobs' own bookkeeping and the admin calls' audit entries. */
  const contactItems = async () => {
    const client = documentClient({ endpoint: process.env.DDB_ENDPOINT });
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []).filter((item) => !/^(IMPORT#|AUDIT#)/.test(String(item.pk))));
      start = page.LastEvaluatedKey;
    } while (start);
    return items.sort((a, b) => `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`));
  };

  beforeAll(async () => {
    stack = await startCampaignStack();
    stack.now.value = Date.parse('2026-12-01T09:00:00Z');
    await stack.approveTemplate('spring_sale', 'de', 'MARKETING');
    await stack.seedWhatsApp([...WROTE, STOPPED, ERASED].map(waId), stack.now.value - 3 * DAY);
    await stack.postWebhook({
      object: 'whatsapp_business_account',
      entry: [{ id: 'x', time: 0, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE }, messages: [{ from: waId(STOPPED), id: 'wamid.stop-7', timestamp: String(Math.floor((stack.now.value - 2 * DAY) / 1000)), type: 'text', text: { body: 'STOP' } }] } }] }],
    });
    expect((await stack.call('DELETE', `/admin/contacts/whatsapp/${PHONE}/${waId(ERASED)}`)).status).toBe(200);
    // The STOP's automation (the opt-out and its confirmation's outbox record) lands asynchronously: wait until the table is still.
    let last = '';
    for (let still = 0; still < 3; ) {
      const now = JSON.stringify(await contactItems());
      still = now === last && now.includes('"keywordOptOut":true') ? still + 1 : 0;
      last = now;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 60_000);
  afterAll(async () => stack?.close());

  const badLines = Object.keys(BAD).map(Number);
  const goodIndexes = Array.from({ length: ROWS }, (_, i) => i).filter((i) => BAD[i + 2] === undefined);
  const campaign = (id: string): Campaign => ({
    id,
    name: id,
    accounts: [{ channel: 'whatsapp', accountId: PHONE }],
    audience: { tags: ['crm'] },
    content: { type: 'template', name: 'spring_sale', language: 'de' },
    kind: 'marketing',
    schedule: { kind: 'once', at: new Date(stack.now.value + 3_600_000).toISOString() },
    status: 'draft',
  });

  let dryRun: CompletedImport;

  it('dry run: errors at exactly the bad lines, counts for every row, and nothing written', async () => {
    const before = await contactItems();
    dryRun = await importFile({ dryRun: true });

    const errors = await errorsOf(dryRun.importId);
    expect([...new Set(errors.map((e) => e.line))]).toEqual(badLines);
    for (const e of errors) if (BAD[e.line]!.column !== '') expect(e.column).toBe(BAD[e.line]!.column);
    expect(JSON.stringify(errors)).not.toContain('4915');
    const existing = WROTE.length + 1; // the STOPped person; the erased one is skipped
    expect(dryRun.job.counts).toMatchObject({
      rows: ROWS,
      failed: badLines.length,
      created: goodIndexes.length - existing - 1,
      updated: existing,
      skipped: { erased: 1 },
    });
    expect(await contactItems()).toEqual(before);
  }, 300_000);

  it('its sendable counts are a campaign preview\'s over the imported audience', async () => {
    const real = await importFile({});
    expect(real.job.counts).toMatchObject({ failed: badLines.length, updated: WROTE.length + 1, skipped: { erased: 1 } });
    expect((await errorsOf(real.importId)).map((e) => e.line)).toEqual((await errorsOf(dryRun.importId)).map((e) => e.line));

    expect((await stack.call('PUT', '/admin/campaigns/crm-spring', campaign('crm-spring'))).status).toBe(201);
    const preview = (await stack.call('POST', '/admin/campaigns/crm-spring/preview')).body as { eligibleByRoute: Record<string, number>; skipped: Record<string, number> };
    const sendableByRoute = dryRun.job.counts.sendableByRoute as Record<string, number>;
    const notSendable = dryRun.job.counts.notSendable as Record<string, number>;
    // WhatsApp: an express consent, or a person who wrote before; not the STOP, nor a consent-less import.
    const expectedSendable = goodIndexes.filter((i) => i % 9 !== 0 && i !== STOPPED && i !== ERASED && (WROTE.includes(i) || (i % 3 !== 0 && i % 10 !== 0))).length;
    expect(preview.eligibleByRoute).toEqual({ 'whatsapp.template': expectedSendable });
    expect(sendableByRoute['whatsapp.template']).toBe(expectedSendable);
    expect(preview.skipped.no_marketing_consent).toBe(notSendable.no_marketing_consent);
    expect(preview.skipped.marketing_opted_out).toBe(1);
    expect(notSendable.marketing_opted_out).toBe(1);
    // Messenger rows: sendable to nobody without Meta's opt-in token.
    expect(notSendable.no_active_opt_in).toBe(goodIndexes.filter((i) => i % 9 === 0).length);
  }, 300_000);

  it('importing the same file again changes nothing', async () => {
    const before = await contactItems();
    const again = await importFile({});
    expect(again.job.counts).toMatchObject({ created: 0, updated: 0, unchanged: goodIndexes.length - 1, failed: badLines.length, skipped: { erased: 1 } });
    expect(await contactItems()).toEqual(before);
  }, 300_000);
});
