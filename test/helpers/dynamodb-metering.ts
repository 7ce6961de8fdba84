/**
 * Counts what a DynamoDB client asks for: requests per operation, the capacity units DynamoDB says
 * they consumed, and the conditional writes it refused. An SDK middleware on the client itself (the
 * Document client shares its stack), so adapters run unchanged. Every request is asked for
 * `ReturnConsumedCapacity: TOTAL`; dynalite computes it from the real item sizes with DynamoDB's
 * rounding (1 KB per write unit, 4 KB per read unit, half for eventually consistent reads, an update
 * billed on the larger of the item before and after).
 *
 * A refused conditional write is billed too, on the size of the stored item (at least 1 unit);
 * dynalite reports nothing for it, so `refusedUnits` is asked for that item's size (the bench reads
 * it with a client of its own), else 1 is counted.
 *
 * `latency` delays each request as AWS would (e.g. 5 ms read / 8 ms write), so a handler's wall time
 * approximates its billed Lambda duration.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);
const WITH_CAPACITY = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem']);

export interface DynamoDbMeterCounts {
  /** Requests per operation (`UpdateItem`, `BatchGetItem`, ...). */
  requests: Record<string, number>;
  writeUnits: number;
  readUnits: number;
  /** ConditionalCheckFailedException answers. */
  conditionFailures: number;
}

export interface DynamoDbMeter {
  /** The counts since the last call, and a fresh start (the log too). */
  take(): DynamoDbMeterCounts;
  /** The requests seen since the last `take`, for assertions on their shape. */
  readonly log: { operation: string; input: Record<string, unknown>; refused: boolean; isRead: boolean; startedAt: number; endedAt: number }[];
}

const empty = (): DynamoDbMeterCounts => ({ requests: {}, writeUnits: 0, readUnits: 0, conditionFailures: 0 });

type Consumed = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
const unitsOf = (consumed: Consumed): number => [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const meterDynamoDb = (
  client: DynamoDBClient,
  options: {
    /** Asked before each request; undefined: no delay. */
    latency?: () => { readMs: number; writeMs: number } | undefined;
    refusedUnits?: (input: Record<string, unknown>) => Promise<number>;
  } = {},
): DynamoDbMeter => {
  let counts = empty();
  const log: DynamoDbMeter['log'] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      if (WITH_CAPACITY.has(operation)) input.ReturnConsumedCapacity = 'TOTAL';
      const isRead = READ_OPERATIONS.has(operation);
      const startedAt = performance.now();
      const latency = options.latency?.();
      if (latency) await sleep(isRead ? latency.readMs : latency.writeMs);
      counts.requests[operation] = (counts.requests[operation] ?? 0) + 1;
      try {
        const result = await next(args);
        const units = unitsOf((result.output as { ConsumedCapacity?: Consumed }).ConsumedCapacity);
        if (isRead) counts.readUnits += units;
        else counts.writeUnits += units;
        log.push({ operation, input, refused: false, isRead, startedAt, endedAt: performance.now() });
        return result;
      } catch (error) {
        const endedAt = performance.now();
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
          counts.conditionFailures += 1;
          const units = options.refusedUnits ? await options.refusedUnits(input) : 1;
          counts.writeUnits += units;
          log.push({ operation, input, refused: true, isRead, startedAt, endedAt });
        }
        throw error;
      }
    },
    // Before serialisation: the input is already marshalled, and is still an object to add to.
    { step: 'serialize', priority: 'high', name: 'afterchatDynamoDbMeter' },
  );
  return {
    log,
    take: () => {
      const taken = counts;
      counts = empty();
      log.length = 0;
      return taken;
    },
  };
};
