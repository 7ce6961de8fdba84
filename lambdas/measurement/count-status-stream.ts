import type { Logger } from '@aws-lambda-powertools/logger';
import { flaggedMilestones } from '../domain/measurement/status-milestones';
import { StateStreamBatch, StateStreamRecord } from '../schemas/outbox-stream';
import type { OutboxChange, SequencedMilestone, StreamFunnel } from '../ports/status-funnel';

export interface FunnelStreamDeps {
  funnel: StreamFunnel;
  /** The writes of sends' outbox records among a batch's records (adapters/dynamodb/outbox-stream.ts). */
  changesOf: (records: readonly StateStreamRecord[]) => OutboxChange[];
  logger: Pick<Logger, 'info' | 'error'>;
}

/** What Lambda expects back from a function on a tumbling window: its state (none is kept here). */
export interface WindowResponse {
  state: Record<string, string>;
}

/** Counts the status milestones a shard's outbox writes flagged first, in the shard's order. */
export const countStatusChanges = async (
  funnel: StreamFunnel,
  shardId: string,
  changes: readonly OutboxChange[],
  onUnreadable: (error: unknown) => void = (error) => {
    throw error;
  },
): Promise<SequencedMilestone[]> => {
  const counted = changes.flatMap(({ sequence, before, after }) => {
    try {
      return flaggedMilestones(before, after).map((event) => ({ event, record: before, sequence }));
    } catch (error) {
      onUnreadable(error);
      return [];
    }
  });
  if (counted.length > 0) await funnel.countSequenced(shardId, counted);
  return counted;
};

/**
 * The funnel's stream consumer (README "Funnel"): a batch of one shard of the state table's stream
 * (the event source's filter lets through only writes that set a status flag on a send's outbox
 * record) becomes one counter write per counter item. A record that doesn't parse, or whose
 * images can't be read as a send's record, is logged and skipped: a retry couldn't change it, and
 * failing the batch would hold the shard's counting for hours of retries. A failed write throws,
 * and Lambda retries the batch, which counts nothing twice (`StreamFunnel`).
 */
export const createFunnelStreamHandler =
  (deps: FunnelStreamDeps) =>
  async (event: unknown): Promise<WindowResponse> => {
    const batch = StateStreamBatch.parse(event);
    const records: StateStreamRecord[] = [];
    for (const raw of batch.Records) {
      const parsed = StateStreamRecord.safeParse(raw);
      if (parsed.success) records.push(parsed.data);
      else deps.logger.error('stream record skipped: not a state table record', { issues: parsed.error.issues.map((i) => i.path.join('.')) });
    }
    const unreadable = (error: unknown) => deps.logger.error('stream record skipped: its images are not a send record', { error: (error as Error).name });
    const changes = records.flatMap((record) => {
      try {
        return deps.changesOf([record]);
      } catch (error) {
        unreadable(error);
        return [];
      }
    });
    const counted = await countStatusChanges(deps.funnel, batch.shardId, changes, unreadable);
    if (records.length > 0) deps.logger.info('funnel stream batch counted', { records: records.length, milestones: counted.length });
    return { state: {} };
  };
