import { type FollowUpState, inFollowUpState, type RecipientOutcome } from '../domain/campaign/follow-up-state';
import type { AudienceIndex, AudiencePage, AudienceQuery } from '../ports/audience-index';
import type { Milestone } from '../ports/funnel-milestones';
import type { Outbox, OutboxRecord } from '../ports/outbox';
import type { StateStore } from '../ports/state-store';
import { mapLimit } from '../shared/map-limit';
import { statusOf } from './occurrence-funnel';

export interface AudienceReadDeps {
  audience: AudienceIndex;
  outbox: Pick<Outbox, 'listGroup' | 'getMany'>;
  store: Pick<StateStore, 'getMessage'>;
}

/**
 * One page of an audience read: the index's listing, or for a follow-up campaign its occurrence's
 * outbox group, kept to the recipients in the state. A group page whose records are all in other
 * states comes back empty with a cursor; readers go on to the next page.
 */
export const pageAudience = (deps: AudienceReadDeps, query: AudienceQuery, cursor: string | undefined, limit: number): Promise<AudiencePage> =>
  query.followUp === undefined ? deps.audience.page(query, cursor, limit) : followUpPage(deps, query, query.followUp, cursor, limit);

/**
 * The group is listed by its outbox records' shards, not its recipients': one worker reads it whole
 * (planOccurrence gives a follow-up a single segment), and a read of any other shard is empty.
 */
const followUpPage = async (
  deps: AudienceReadDeps,
  query: AudienceQuery,
  followUp: { campaignId: string; occurrenceKey: string; state: FollowUpState },
  cursor: string | undefined,
  limit: number,
): Promise<AudiencePage> => {
  if (query.shard !== undefined && query.shard !== 0) return { userIds: [] };
  const page = await deps.outbox.listGroup(`${followUp.campaignId}#${followUp.occurrenceKey}`, cursor, limit);
  const records = (await deps.outbox.getMany(page.outboxIds)).filter((r) => r.intent.channel === query.channel && r.intent.accountId === query.accountId);
  const kept = await mapLimit(records, CONCURRENCY, async (record) => (inFollowUpState(await outcomeOf(deps, record), followUp.state) ? record.intent.userId : undefined));
  const userIds = [...new Set(kept.filter((id): id is string => id !== undefined))];
  return page.cursor === undefined ? { userIds } : { userIds, cursor: page.cursor };
};

const CONCURRENCY = 16;

/** The recipient's outcome as the outbox record (and, on Messenger, the message record) tells it. */
export const outcomeOf = async (deps: Pick<AudienceReadDeps, 'store'>, record: OutboxRecord): Promise<RecipientOutcome> => {
  const errorCode = record.delivery?.failure?.code ?? record.delivery?.errorCode ?? record.errorCode;
  return {
    channel: record.intent.channel,
    status: await statusOf(deps.store, record),
    ...(errorCode === undefined ? {} : { errorCode }),
    milestones: recordedMilestones(record),
  };
};

/**
 * The milestones the funnel flagged on the outbox record (clicked, converted…); delivered, read,
 * limited and failed are its status and Meta's reports, which `outcomeOf` reads beside them.
 */
export const recordedMilestones = (record: OutboxRecord): ReadonlySet<Milestone> => new Set(Object.keys(record.milestones ?? {}) as Milestone[]);
