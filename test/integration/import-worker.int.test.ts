/**
 * Interface under test: the local stack's admin API and its import queue, drained by the import
 * worker's poller as the event source mapping drains it in AWS (README "Importing contacts"): a small
 * CSV in two chunks, with a bad line, as a dry run, for real, and again.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack';
import { adminCaller } from '../helpers/admin-contract';

const PAGE = '1234567890123456';
const psid = (n: number): string => String(7_100_000_000_000_000 + n);
const HEADER = ['psid', 'tags', 'first_name', 'timezone'];
const line = (n: number): string => `${psid(n)},vip;spring,Name${n},Europe/Berlin`;

interface JobView {
  importId: string;
  status: string;
  chunks: { total: number | null; processed: number };
  rows: { total: number | null; processed: number };
  counts: { rows: number; created: number; updated: number; unchanged: number; failed: number; sendable: Record<string, number>; notSendable: Record<string, number> };
}

describe('a CSV import through the import queue', () => {
  let stack: LocalStack;
  afterAll(async () => stack?.close());

  // Contract-checked: every admin answer is held to lambdas/admin/contract/.
  const call = adminCaller(() => stack.url);

  /** Creates, uploads (three rows per chunk) and starts an import; answers the job once the worker has completed it. */
  const imported = async (lines: string[], options: { dryRun?: boolean } = {}): Promise<JobView> => {
    const created = await call('POST', '/admin/imports', { header: HEADER, defaults: { channel: 'messenger', accountId: PAGE }, ...options });
    expect(created.status).toBe(201);
    const { importId } = created.body as unknown as JobView;
    const chunks = [lines.slice(0, 3), lines.slice(3)];
    for (const [seq, chunk] of chunks.entries()) {
      const put = await call('PUT', `/admin/imports/${importId}/chunks/${seq}`, { firstLine: 2 + seq * 3, csv: `${chunk.join('\n')}\n` });
      expect(put.body).toMatchObject({ records: chunk.length, stored: 'stored' });
    }
    expect((await call('POST', `/admin/imports/${importId}/start`, { chunks: 2 })).status).toBe(202);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const job = (await call('GET', `/admin/imports/${importId}`)).body as unknown as JobView;
      if (job.status === 'completed') return job;
      if (Date.now() > deadline) throw new Error(`import still ${job.status} at ${job.rows.processed} rows`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('counts a dry run, imports for real with the bad line reported, and changes nothing the second time', async () => {
    stack = await startLocalStack({
      appSecret: 'secret',
      verifyToken: 'verify',
      dynamoEndpoint: process.env.DDB_ENDPOINT,
      tableName: `i-${randomUUID()}`,
      logger: new Logger({ serviceName: 'afterchat-test', logLevel: 'WARN' }),
      schedulerTickMs: false,
      // Two rows per message: six rows are a chain of several slices.
      importTuning: { sliceRecords: 2 },
    });
    await call('PUT', `/admin/accounts/messenger/${PAGE}`, { displayName: 'Shop', tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin', country: 'DE' });
    const lines = [line(1), line(2), `${psid(3)},vip,Name3,Mars/Olympus`, line(4), line(5), line(6)];

    const dry = await imported(lines, { dryRun: true });
    expect(dry).toMatchObject({ chunks: { total: 2, processed: 2 }, rows: { total: 6, processed: 6 }, counts: { rows: 6, created: 5, failed: 1 } });
    // Messenger marketing needs the person's own opt-in token: an import can't give one.
    expect(dry.counts.sendable).toEqual({ whatsapp_template: 0, messenger_marketing: 0, none: 5 });
    expect((await call('GET', `/admin/contacts/messenger/${PAGE}/${psid(1)}`)).status).toBe(404);

    const real = await imported(lines);
    expect(real.counts).toMatchObject({ rows: 6, created: 5, updated: 0, unchanged: 0, failed: 1 });
    expect((await call('GET', `/admin/imports/${real.importId}/errors`)).body).toEqual({ importId: real.importId, errors: [{ line: 4, column: 'timezone', reason: expect.any(String) as unknown }] });
    expect((await call('GET', `/admin/contacts/messenger/${PAGE}/${psid(6)}/profile`)).body).toMatchObject({ tags: ['vip', 'spring'], attributes: { firstName: 'Name6' } });

    const again = await imported(lines);
    expect(again.counts).toMatchObject({ rows: 6, created: 0, updated: 0, unchanged: 5, failed: 1 });
  });
});
