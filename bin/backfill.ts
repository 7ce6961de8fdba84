/**
 * `npm run backfill`: migrates a state table written by an earlier release to the current index
 * layout (keys.ts), with progress. Idempotent and resumable: run it again after a crash or Ctrl+C.
 *
 *   npm run backfill                       the local stack's data folder (DATA_DIR, .local-data/dynamodb);
 *                                          stop `npm run local` first. A table without the new indexes is
 *                                          rebuilt (copied out and back: dynalite can't add an index).
 *   npm run backfill -- --endpoint http://127.0.0.1:8000 [--table afterchat-local-state] [--rebuild]
 *   npm run backfill -- --table <StateTableName> [--region eu-central-1]   a table in AWS (your credentials;
 *                                          or invoke the stack's IndexBackfill function, README "Upgrading")
 *   options: --segments 4 (parallel scan) --page-size 200 --restart (another pass) --stale-claim-ms 120000
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BackfillCounts, BackfillProgress } from '../lambdas/adapters/dynamodb/backfill';
import { startDynalite } from '../lambdas/local/dynalite-server';
import { migrateTable } from '../lambdas/local/migrate-table';
import { LOCAL_TABLE } from '../lambdas/local/table';

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string' },
    rebuild: { type: 'boolean', default: false },
    segments: { type: 'string', default: '4' },
    'page-size': { type: 'string', default: '200' },
    'stale-claim-ms': { type: 'string' },
    restart: { type: 'boolean', default: false },
  },
});

const count = (n: number): string => n.toLocaleString('en-US');

const main = async (): Promise<void> => {
  const local = values.endpoint === undefined && values.table === undefined;
  let close = async (): Promise<void> => {};
  let endpoint = values.endpoint;
  let where: string;
  if (local) {
    const dataDir = resolve(process.env.DATA_DIR ?? '.local-data/dynamodb');
    if (!existsSync(dataDir)) {
      console.log(`No local data at ${dataDir}: nothing to migrate (a new local stack creates the current layout).`);
      return;
    }
    const dynalite = await startDynalite({ path: dataDir });
    endpoint = dynalite.endpoint;
    close = () => dynalite.close();
    where = `local data ${dataDir}`;
  } else {
    where = endpoint ? `endpoint ${endpoint}` : `AWS (${values.region ?? process.env.AWS_REGION ?? 'default region'})`;
  }
  const tableName = values.table ?? LOCAL_TABLE;
  const credentials = endpoint && (local || endpoint.includes('127.0.0.1') || endpoint.includes('localhost')) ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined;
  const raw = new DynamoDBClient({ endpoint, region: values.region ?? (endpoint ? 'local' : undefined), credentials });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });

  console.log(`backfill: table ${tableName} on ${where}`);
  const started = Date.now();
  let lastLine = 0;
  try {
    const result = await migrateTable(raw, client, {
      tableName,
      rebuild: local || values.rebuild,
      segments: Number(values.segments),
      pageSize: Number(values['page-size']),
      restart: values.restart,
      ...(values['stale-claim-ms'] === undefined ? {} : { staleClaimMs: Number(values['stale-claim-ms']) }),
      onRebuild: (p) => {
        if (p.step === 'recreate') console.log('  rebuild: table recreated with every index');
        else if (p.step === 'done') console.log('  rebuild: done');
        else console.log(`  rebuild: ${p.step === 'copy-out' ? 'copied out' : 'copied back'} ${count(p.items)} items`);
      },
      onProgress: (p) => {
        if (Date.now() - lastLine < 500 && !p.done) return;
        lastLine = Date.now();
        console.log(`  ${progressLine(p, Date.now() - started)}`);
      },
    });
    if (result.missingIndexes.length > 0) {
      console.log(
        `  note: the table has no ${result.missingIndexes.join(', ')} yet. Their attributes are written and indexed once the index exists ` +
          '(AWS: cdk deploy); dynalite never adds one to a table: run with --rebuild.',
      );
    }
    printSummary(result.progress, started);
  } catch (error) {
    if (local && error instanceof Error && /lock/i.test(error.message)) {
      throw new Error(`the local data folder is in use: stop \`npm run local\` first (${error.message})`, { cause: error });
    }
    throw error;
  } finally {
    raw.destroy();
    await close();
  }
};

const progressLine = (p: BackfillProgress, elapsedMs: number): string => {
  const t = p.totals;
  const rate = elapsedMs > 0 ? Math.round((t.scanned * 1000) / elapsedMs) : 0;
  return `pass ${p.pass}: ${count(t.scanned)} scanned · ${count(t.updated)} updated · ${count(t.unchanged)} unchanged · segments ${p.segmentsDone}/${p.totalSegments} done · ${count(rate)} items/s`;
};

const printSummary = (p: BackfillProgress, started: number): void => {
  if (!p.done) {
    console.log('backfill stopped before the end: run it again to resume.');
    return;
  }
  if (p.finishedAt !== undefined && p.finishedAt < started) {
    console.log(`backfill ${p.migration} pass ${p.pass} finished earlier (${new Date(p.finishedAt).toISOString()}): nothing to do. --restart runs another pass (it should update nothing).`);
    return;
  }
  const ranNow = (Date.now() - started) / 1000;
  console.log(`backfill ${p.migration} pass ${p.pass} done (${count(p.totals.scanned)} items; this run ${ranNow.toFixed(1)} s)`);
  const rows: [string, BackfillCounts][] = Object.entries(p.byKind).sort(([a], [b]) => a.localeCompare(b));
  const line = (cells: string[]) => `  ${cells[0]?.padEnd(12)}${cells.slice(1).map((c) => c.padStart(11)).join('')}`;
  console.log(line(['kind', 'scanned', 'updated', 'unchanged', 'vanished']));
  for (const [kind, c] of [...rows, ['total', p.totals] as [string, BackfillCounts]]) {
    console.log(line([kind, count(c.scanned), count(c.updated), count(c.unchanged), count(c.vanished)]));
  }
  if (p.totals.updated === 0) console.log('  nothing to change: the table is in the current layout.');
};

main().catch((error: unknown) => {
  console.error('backfill failed:', error instanceof Error ? `${error.name}: ${error.message}${describeCause(error)}` : error);
  process.exit(1);
});

/** What the SDK knows beyond its message (an unparsable answer says only `UnknownError`): the HTTP status and the cause. */
function describeCause(error: Error): string {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return [status === undefined ? '' : ` (HTTP ${status})`, cause === undefined ? '' : ` — ${cause}`].join('');
}
