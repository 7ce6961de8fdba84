import type { WebhookEvent } from '../domain/events';
import { itemIssues } from '../domain/quarantine/item-bounds';
import { type QuarantineEntry, quarantineEntry, reasonOf } from '../domain/quarantine/quarantine-entry';
import { stateChanges } from '../domain/state-changes';
import type { RegisterWrite } from '../domain/state-writes';
import type { OutboxRecord } from '../ports/outbox';
import { ItemRejected, type StateStore } from '../ports/state-store';
import { mapLimit } from '../shared/map-limit';

/**
 * Items of one body held to the bounds (lambdas/domain/quarantine/item-bounds.ts) at the time of
 * receipt: those within them go on to storage, the others are set aside with their issues.
 */
export const screenEvents = (events: readonly WebhookEvent[], receivedAt: number): { valid: WebhookEvent[]; quarantined: QuarantineEntry[] } => {
  const valid: WebhookEvent[] = [];
  const quarantined: QuarantineEntry[] = [];
  for (const event of events) {
    const issues = itemIssues(event, receivedAt);
    if (issues.length === 0) valid.push(event);
    else quarantined.push(quarantineEntry(event, reasonOf(issues), issues));
  }
  return { valid, quarantined };
};

/**
 * Applies the events' writes together first (one UpdateItem per item however many events touch it:
 * a batch for one person costs what one event does). Only when storage refuses an item for a reason
 * of its own does it apply each event on its own, at most `concurrency` at a time, to find the event
 * to quarantine while the others land; registers make the repeated writes harmless. Any other
 * failure rejects, so the webhook answers 5xx and Meta retries. `landed` is told of each event's
 * write that flagged funnel milestones, with its outbox record as it was before (the status funnel).
 */
export const applyEach = async (
  store: StateStore,
  events: readonly WebhookEvent[],
  concurrency: number,
  landed?: (event: WebhookEvent, before: OutboxRecord | undefined) => void,
): Promise<{ applied: WebhookEvent[]; refused: QuarantineEntry[] }> => {
  const eventOf = new Map<RegisterWrite, WebhookEvent>();
  const writesOf = (event: WebhookEvent): RegisterWrite[] => {
    const writes = stateChanges(event);
    if (landed) for (const write of writes) if (write.flags) eventOf.set(write, event);
    return writes;
  };
  const onLanded = landed && ((write: RegisterWrite, before: OutboxRecord | undefined) => landed(eventOf.get(write) as WebhookEvent, before));
  try {
    await store.apply(events.flatMap(writesOf), onLanded);
    return { applied: [...events], refused: [] };
  } catch (error) {
    if (!(error instanceof ItemRejected) || events.length === 1) return refusedAlone(error, events);
  }
  const outcomes = await mapLimit(events, concurrency, async (event) => {
    try {
      await store.apply(writesOf(event), onLanded);
      return undefined;
    } catch (error) {
      if (!(error instanceof ItemRejected)) throw error;
      return refusal(event, error);
    }
  });
  return {
    applied: events.filter((_, i) => outcomes[i] === undefined),
    refused: outcomes.filter((entry): entry is QuarantineEntry => entry !== undefined),
  };
};

const refusal = (event: WebhookEvent, error: ItemRejected): QuarantineEntry =>
  quarantineEntry(event, 'store_refused', [{ path: '$', message: `storage refused the item (${error.causeName})` }]);

/** A lone event storage refused is the one to quarantine; a failure of any other kind answers 5xx. */
const refusedAlone = (error: unknown, events: readonly WebhookEvent[]): { applied: WebhookEvent[]; refused: QuarantineEntry[] } => {
  if (!(error instanceof ItemRejected)) throw error;
  return { applied: [], refused: events.map((event) => refusal(event, error)) };
};
