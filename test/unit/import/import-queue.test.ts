/**
 * Interface under test: the import queue as both ends see it: SqsImportQueue's SendMessage bodies,
 * and the worker's SQS consumer (createSqsImportHandler) reading them, failing a record alone.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { SqsImportQueue } from '../../../lambdas/adapters/sqs/import-queue';
import { createSqsImportHandler } from '../../../lambdas/import/sqs-import-handler';
import type { ImportSlice } from '../../../lambdas/schemas/import-slice';

const IMPORT_ID = '0b5e8a43-9a1c-4f5e-8d2b-5f0c2a7e9d11';
const record = (messageId: string, body: string) => ({ messageId, body, attributes: { ApproximateReceiveCount: '1' } }) as unknown as SQSEvent['Records'][number];

describe('the import queue', () => {
  it('carries a slice as the worker reads it', async () => {
    const bodies: { QueueUrl?: string; MessageBody?: string }[] = [];
    const client = { send: (command: SendMessageCommand) => Promise.resolve(void bodies.push(command.input)) } as unknown as SQSClient;
    const ran: ImportSlice[] = [];
    const handler = createSqsImportHandler((slice) => Promise.resolve(void ran.push(slice)), new Logger({ logLevel: 'SILENT' }));

    await new SqsImportQueue(client, 'https://sqs/import').send({ importId: IMPORT_ID, chunk: 3, record: 500 });
    const response = await handler({ Records: [record('m1', bodies[0]?.MessageBody ?? '')] });

    expect(bodies[0]?.QueueUrl).toBe('https://sqs/import');
    expect(response.batchItemFailures).toEqual([]);
    expect(ran).toEqual([{ importId: IMPORT_ID, chunk: 3, record: 500 }]);
  });

  it('fails a malformed slice and one whose run throws, each alone, so SQS retries them and then dead-letters them', async () => {
    const handler = createSqsImportHandler(
      (slice) => (slice.chunk === 1 ? Promise.reject(new Error('throttled')) : Promise.resolve()),
      new Logger({ logLevel: 'SILENT' }),
    );

    const response = await handler({
      Records: [
        record('bad-json', '{'),
        record('bad-shape', JSON.stringify({ importId: IMPORT_ID, chunk: -1, record: 0 })),
        record('fails', JSON.stringify({ importId: IMPORT_ID, chunk: 1, record: 0 })),
        record('runs', JSON.stringify({ importId: IMPORT_ID, chunk: 2, record: 0 })),
      ],
    });

    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['bad-json', 'bad-shape', 'fails']);
  });
});
