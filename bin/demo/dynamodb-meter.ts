/**
 * A metering proxy in front of a local DynamoDB endpoint: counts requests per operation and the
 * capacity units each consumed. The local stack builds its DynamoDB client inside and does not
 * expose it, but it accepts an endpoint (`dynamoEndpoint`), so standing between it and dynalite
 * needs no change to the stack. Every request is asked for `ReturnConsumedCapacity: TOTAL`, which
 * dynalite computes from the real item sizes with DynamoDB's rounding (1 KB per write unit, 4 KB per
 * read unit, half for eventually consistent reads). The response bytes pass through untouched, so
 * the SDK's CRC32 check still holds.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OperationMeter {
  requests: number;
  /** Requests DynamoDB refused (e.g. a failed condition); still billed, as at least one unit. */
  refused: number;
  capacityUnits: number;
  /** Index entries put with new items (gsi1–gsi3): each costs a write unit on its keys-only index too. */
  indexWrites: number;
}

const WITH_CAPACITY = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem']);
export const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

type Json = Record<string, unknown>;

/** Index entries (gsi1–gsi3 partition keys) an item carries: each costs a write unit on its keys-only index. */
const indexEntries = (item: Json | undefined): number => ['gsi1pk', 'gsi2pk', 'gsi3pk'].filter((key) => item?.[key] !== undefined).length;

/** Index entries the items a PutItem or BatchWriteItem creates carry. */
const indexedPuts = (operation: string, body: Json): number => {
  if (operation === 'PutItem') return indexEntries(body.Item as Json | undefined);
  if (operation !== 'BatchWriteItem') return 0;
  const perTable = Object.values((body.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Json } }[]>);
  return perTable.flat().reduce((sum, r) => sum + indexEntries(r.PutRequest?.Item), 0);
};

const unitsOf = (response: Json): number => {
  const consumed = response.ConsumedCapacity as { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
  return [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
};

export const startDynamoDbMeter = async (target: string) => {
  const meters = new Map<string, OperationMeter>();
  const agent = new Agent({ keepAlive: true });
  const meterOf = (operation: string): OperationMeter => {
    const meter = meters.get(operation) ?? { requests: 0, refused: 0, capacityUnits: 0, indexWrites: 0 };
    meters.set(operation, meter);
    return meter;
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json;
      if (WITH_CAPACITY.has(operation)) body.ReturnConsumedCapacity = 'TOTAL';
      const forwarded = Buffer.from(JSON.stringify(body));
      const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method, agent, headers: { ...req.headers, 'content-length': forwarded.length } }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          const bytes = Buffer.concat(parts);
          const meter = meterOf(operation);
          meter.requests += 1;
          if (answer.statusCode === 200) {
            meter.capacityUnits += unitsOf(JSON.parse(bytes.toString('utf8') || '{}') as Json);
            meter.indexWrites += indexedPuts(operation, body);
          } else {
            meter.refused += 1;
            meter.capacityUnits += 1;
          }
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          res.end(bytes);
        });
      });
      upstream.on('error', (error) => res.destroy(error));
      upstream.end(forwarded);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The counts since the last call, and a fresh start. */
    take: (): Map<string, OperationMeter> => {
      const taken = new Map(meters);
      meters.clear();
      return taken;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
};
