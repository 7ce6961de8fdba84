import type { WebhookEvent } from '../domain/events';
import { itemIssues } from '../domain/quarantine/item-bounds';
import { type QuarantineEntry, quarantineEntry, reasonOf } from '../domain/quarantine/quarantine-entry';
import { stateChanges } from '../domain/state-changes';
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
 * Applies each event's writes on its own, at most `concurrency` events at a time (each event writes
 * one to four items, so at most a few dozen requests are in flight however large the body). An event
 * whose item storage refuses for a reason of its own is quarantined and the others still land; any
 * other failure rejects, so the webhook answers 5xx and Meta retries.
 */
export const applyEach = async (
  store: StateStore,
  events: readonly WebhookEvent[],
  concurrency: number,
): Promise<{ applied: WebhookEvent[]; refused: QuarantineEntry[] }> => {
  const outcomes = await mapLimit(events, concurrency, async (event) => {
    try {
      await store.apply(stateChanges(event));
      return undefined;
    } catch (error) {
      if (!(error instanceof ItemRejected)) throw error;
      return quarantineEntry(event, 'store_refused', [{ path: '$', message: `storage refused the item (${error.causeName})` }]);
    }
  });
  return {
    applied: events.filter((_, i) => outcomes[i] === undefined),
    refused: outcomes.filter((entry): entry is QuarantineEntry => entry !== undefined),
  };
};
