/**
 * Interface under test: the upgrade of a local stack's data folder that the previous release filled,
 * end to end: `npm run backfill` (bin/backfill.ts, run as a process) rebuilds the dynalite table with
 * the new indexes and migrates the items; the local stack then starts on the folder and serves the
 * new listings (GET /admin/contacts/.../sends) for the old data.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { startDynalite } from '../../lambdas/local/dynalite-server';
import { startLocalStack } from '../../lambdas/local/local-stack';
import { ensureStateTable, LOCAL_TABLE } from '../../lambdas/local/table';
import { expectCurrentLayout } from '../helpers/layout-checks';
import { createPreviousReleaseTable, fillAsPreviousRelease, type PreviousReleaseData } from '../helpers/previous-release';

const run = promisify(execFile);
const root = resolve(__dirname, '..', '..');
const backfillCli = (dataDir: string, ...args: string[]) =>
  run(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'bin', 'backfill.ts'), ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir },
    timeout: 120_000,
  });

/** Opens the data folder in its own dynalite for `fn`, and closes it (the folder takes one process at a time). */
const withFolder = async <T>(dataDir: string, fn: (endpoint: string, raw: DynamoDBClient) => Promise<T>): Promise<T> => {
  const dynalite = await startDynalite({ path: dataDir });
  const raw = new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    return await fn(dynalite.endpoint, raw);
  } finally {
    raw.destroy();
    await dynalite.close();
  }
};

let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'afterchat-upgrade-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

it('upgrades a local data folder the previous release filled: npm run backfill rebuilds and migrates it, the stack then serves the new listings', async () => {
  // The previous release's local stack ran on this folder.
  const data: PreviousReleaseData = await withFolder(dataDir, async (endpoint, raw) => {
    await createPreviousReleaseTable(raw, LOCAL_TABLE);
    const client = documentClient({ endpoint, region: 'local' });
    const filled = await fillAsPreviousRelease(client, LOCAL_TABLE, 12);
    client.destroy();
    return filled;
  });
  // The new stack refuses the folder, saying what to do.
  await withFolder(dataDir, async (_endpoint, raw) => {
    await expect(ensureStateTable(raw, LOCAL_TABLE)).rejects.toThrow(/without the gsi2, gsi3 indexes.*npm run backfill/s);
  });

  const first = await backfillCli(dataDir);
  console.log(first.stdout);
  expect(first.stdout).toMatch(/rebuild: copied out \d+ items/);
  expect(first.stdout).toMatch(/rebuild: table recreated with every index/);
  expect(first.stdout).toMatch(/pass 1: [\d,]+ scanned · [\d,]+ updated/);
  expect(first.stdout).toMatch(/backfill key-layout-2 pass 1 done/);
  // 12 + 12 contacts and the 3 linked BSUID records of the WhatsApp ones, each moved (a BSUID out of every listing).
  expect(data.linkedBsuids).toHaveLength(3);
  expect(first.stdout).toMatch(/^\s+contact\s+27\s+27\s+0\s+0$/m);

  const again = await backfillCli(dataDir);
  expect(again.stdout).toMatch(/pass 1 finished earlier/);
  const restarted = await backfillCli(dataDir, '--restart');
  expect(restarted.stdout).toMatch(/pass 2 done/);
  expect(restarted.stdout).toMatch(/nothing to change/);

  await withFolder(dataDir, async (endpoint, raw) => {
    await expect(ensureStateTable(raw, LOCAL_TABLE)).resolves.toBeUndefined();
    const client = documentClient({ endpoint, region: 'local' });
    await expectCurrentLayout(client, LOCAL_TABLE, data);
    client.destroy();
  });

  // The local stack starts on the migrated folder and lists an old contact's sends, newest first.
  const stack = await startLocalStack({ appSecret: 's', verifyToken: 'v', dataDir, schedulerTickMs: false, logger: new Logger({ serviceName: 'upgrade-test', logLevel: 'ERROR' }) });
  try {
    const contact = data.jobs.find((j) => !j.group)?.contact as PreviousReleaseData['contacts'][number];
    const response = await fetch(`${stack.url}/admin/contacts/${contact.channel}/${contact.accountId}/${contact.userId}/sends?limit=1`);
    const page = (await response.json()) as { sends: { outboxId: string; createdAt: string }[]; cursor?: string };
    expect(response.status).toBe(200);
    const expected = data.jobs.filter((j) => j.contact === contact).sort((a, b) => b.createdAt - a.createdAt);
    expect(page.sends.map((s) => s.outboxId)).toEqual([expected[0]?.outboxId]);
    const next = (await (await fetch(`${stack.url}/admin/contacts/${contact.channel}/${contact.accountId}/${contact.userId}/sends?cursor=${page.cursor}`)).json()) as typeof page;
    expect(next.sends.map((s) => s.outboxId)).toEqual([expected[1]?.outboxId]);
    expect(next).not.toHaveProperty('cursor');
    expect((await fetch(`${stack.url}/admin/contacts/${contact.channel}/${contact.accountId}/${contact.userId}/sends?cursor=bogus`)).status).toBe(400);
    expect((await fetch(`${stack.url}/admin/contacts/${contact.channel}/${contact.accountId}/${contact.userId}/sends?limit=0`)).status).toBe(400);
  } finally {
    await stack.close();
  }
});
