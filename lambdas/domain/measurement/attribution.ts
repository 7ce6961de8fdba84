/**
 * Last-touch attribution of a conversion (README "Conversions"): the order goes to the message the
 * person last read or clicked before it, within the window; none → unattributed. A touch after the
 * order didn't lead to it. Pure.
 */

export const DAY_MS = 24 * 3600 * 1000;
/** The window a stage sets no other for (lib/config.ts `conversions.attributionWindowDays`). */
export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 7;

/** A read or a click on a message afterchat sent, as the touches port gives it. */
export interface TouchSeen {
  outboxId: string;
  kind: 'read' | 'click';
  at: number;
  campaignId?: string;
}

export type Attribution<T extends TouchSeen> = { kind: 'attributed'; touch: T } | { kind: 'unattributed' };

/** The earliest touch time the window looks back to from the order (inclusive). */
export const windowStart = (occurredAt: number, windowMs: number): number => occurredAt - windowMs;

/**
 * The touch the order is attributed to among the latest touch of each of the customer's contacts:
 * the latest one inside `[occurredAt - window, occurredAt]`. Equal times: a click beats a read (the
 * stronger sign), then the lower outbox id, so a redelivery decides the same.
 */
export const attribute = <T extends TouchSeen>(candidates: readonly (T | undefined)[], occurredAt: number, windowMs: number): Attribution<T> => {
  const from = windowStart(occurredAt, windowMs);
  const inWindow = candidates.filter((t): t is T => t !== undefined && t.at >= from && t.at <= occurredAt);
  const best = inWindow.reduce<T | undefined>((winner, touch) => (winner === undefined || beats(touch, winner) ? touch : winner), undefined);
  return best === undefined ? { kind: 'unattributed' } : { kind: 'attributed', touch: best };
};

const beats = (a: TouchSeen, b: TouchSeen): boolean => {
  if (a.at !== b.at) return a.at > b.at;
  if (a.kind !== b.kind) return a.kind === 'click';
  return a.outboxId < b.outboxId;
};

/** The UTC day (YYYY-MM-DD) an order counts for in the per-account, per-day conversion counters. */
export const conversionDay = (occurredAt: number): string => new Date(occurredAt).toISOString().slice(0, 10);
