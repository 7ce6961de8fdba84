/** What the sweeper reads of an occurrence, or of one segment of it. */
export interface LeaseView {
  status: 'running' | 'paused' | 'done' | 'stopped';
  leaseUntil?: number;
}

/**
 * A running occurrence (or segment) whose lease ran out more than a grace ago (strictly, as the
 * pending-work query's bound): its worker died and neither a retry nor a continuation took it over
 * (the local queue went with a killed process, or a message was lost). It is resumed by a continuation, as a crashed worker's check would: the
 * continuation takes the expired lease over and carries on from the last saved page. Anything else
 * (renewed, finished, paused, held until a later wake-up) is left alone.
 */
export const isStuck = (view: LeaseView | undefined, now: number, graceMs: number): boolean =>
  view !== undefined && view.status === 'running' && view.leaseUntil !== undefined && view.leaseUntil + graceMs < now;
