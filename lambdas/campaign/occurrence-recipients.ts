import { funnelSteps, type FunnelSteps, type RecipientOutcome } from '../domain/campaign/follow-up-state';
import { inRecipientState, RECIPIENT_STATES, type RecipientState } from '../domain/campaign/recipient-state';
import type { OutboxRecord } from '../ports/outbox';
import { mapLimit } from '../shared/map-limit';
import { type AudienceReadDeps, outcomeOf } from './follow-up-audience';

/** One recipient of an occurrence: its send, where it stands, and the states it is in. */
export interface OccurrenceRecipient {
  record: OutboxRecord;
  outcome: RecipientOutcome;
  steps: FunnelSteps;
  states: RecipientState[];
}

export interface RecipientPage {
  recipients: OccurrenceRecipient[];
  /** Pass back for the next page; absent once the occurrence's sends are all read. */
  cursor?: string;
}

/** A page is read in a few group reads at most, so a sparse state answers within API Gateway's 30 s (short, with a cursor). */
const MAX_READS = 10;
const CONCURRENCY = 16;

/**
 * Up to `limit` of the occurrence's recipients (in `state`, when given), from its outbox group: the
 * listing follow-ups read, one index Query per read. Each read asks for no more than the page still
 * lacks, so the group's own cursor resumes right after the last recipient answered.
 */
export const pageRecipients = async (
  deps: Pick<AudienceReadDeps, 'outbox' | 'store'>,
  group: string,
  query: { state?: RecipientState; cursor?: string; limit: number },
): Promise<RecipientPage> => {
  const recipients: OccurrenceRecipient[] = [];
  let cursor = query.cursor;
  for (let reads = 0; reads < MAX_READS && recipients.length < query.limit; reads += 1) {
    const page = await deps.outbox.listGroup(group, cursor, query.limit - recipients.length);
    const records = await deps.outbox.getMany(page.outboxIds);
    const read = await mapLimit(records, CONCURRENCY, (record) => recipientOf(deps, record));
    recipients.push(...read.filter((r) => query.state === undefined || r.states.includes(query.state)));
    cursor = page.cursor;
    if (cursor === undefined) break;
  }
  return cursor === undefined ? { recipients } : { recipients, cursor };
};

const recipientOf = async (deps: Pick<AudienceReadDeps, 'store'>, record: OutboxRecord): Promise<OccurrenceRecipient> => {
  const outcome = await outcomeOf(deps, record);
  return { record, outcome, steps: funnelSteps(outcome), states: RECIPIENT_STATES.filter((state) => inRecipientState(outcome, state)) };
};
