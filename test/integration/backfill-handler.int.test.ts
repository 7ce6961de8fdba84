/**
 * Interface under test: the one-off backfill Lambda (lambdas/handlers/backfill.ts) as `aws lambda
 * invoke` calls it, on dynalite: it stops, checkpointed, when its invocation is about to time out and
 * says to invoke it again; the next invocation finishes; one after that only reports.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { ensureStateTable } from '../../lambdas/local/table';
import { expectCurrentLayout } from '../helpers/layout-checks';
import { fillAsPreviousRelease } from '../helpers/previous-release';

const contextWith = (remainingMs: number): Context =>
  ({ functionName: 'index-backfill', awsRequestId: randomUUID(), getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

it('resumes across invocations until it answers done, then only reports', async () => {
  const endpoint = process.env.DDB_ENDPOINT;
  if (!endpoint) throw new Error('DDB_ENDPOINT is not set: run through the jest integration project');
  const raw = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const client = documentClient({ endpoint, region: 'local' });
  const tableName = `bfh-${randomUUID()}`;
  await ensureStateTable(raw, tableName);
  const data = await fillAsPreviousRelease(client, tableName, 8);
  const items = Object.values(data.itemsByKind).reduce((a, b) => a + b, 0);
  process.env.TABLE_NAME = tableName;
  process.env.DDB_ENDPOINT = endpoint;
  process.env.BACKFILL_SEGMENTS = '2';
  process.env.STALE_CLAIM_MS = '120000';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  // Loaded after the environment is set: the handler reads it once, at load, as in Lambda.
  const { handler } = jest.requireActual<typeof import('../../lambdas/handlers/backfill')>('../../lambdas/handlers/backfill');

  // Less time left than the safety margin: it scans nothing and asks to be invoked again.
  const early = await handler({}, contextWith(30_000));
  expect(early).toMatchObject({ pass: 1, done: false, segments: '0/2', scanned: 0, next: 'invoke again with {} to resume' });

  const finished = await handler({}, contextWith(900_000));
  expect(finished).toMatchObject({ pass: 1, done: true, segments: '2/2', scanned: items, next: null });
  await expectCurrentLayout(client, tableName, data);

  const again = await handler(null, contextWith(900_000));
  expect(again).toMatchObject({ pass: 1, done: true, scanned: items });
  const restarted = await handler({ restart: true }, contextWith(900_000));
  expect(restarted).toMatchObject({ pass: 2, done: true, scanned: items, updated: 0 });

  raw.destroy();
  client.destroy();
});
