/**
 * When an occurrence's recipient list is out of date: its counts change, and nothing else the polled
 * answer carries (a snapshot's `asOf`, `complete`), so a poll that found nothing new reads nothing
 * again. Pure, for the unit tests.
 */
import type { operations } from '../../api/schema';

type Occurrence = operations['showOccurrence']['responses'][200]['content']['application/json'];

/** Counts keyed in a fixed order, so the same counts always give the same text. */
const sorted = (counts: Record<string, number>) => Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));

export const recipientsVersion = ({ counts, funnel }: Pick<Occurrence, 'counts' | 'funnel'>): string =>
  JSON.stringify([
    [funnel.jobs, funnel.pending, funnel.sent, funnel.delivered, funnel.read, funnel.failed, funnel.unknown],
    sorted(funnel.skippedAtSend),
    [counts.audience, counts.enqueued, counts.notDue],
    sorted(counts.skipped),
  ]);
