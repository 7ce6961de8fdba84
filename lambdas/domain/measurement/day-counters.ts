/**
 * The names of an account's per-day counters (responsiveness and audience growth). A contribution
 * adds deltas to one local day's counters once, under its own key (ports/measurement-counters.ts);
 * a correction is a contribution with negative deltas.
 */
export const OPENED = 'opened';
export const ANSWERED = 'answered';
/** The exact sum of the answered turns' first-response times, in ms: the mean's numerator. */
export const RESPONSE_MS = 'responseMs';
export const NEW_CONTACTS = 'newContacts';
export const OPT_IN_PREFIX = 'optIn_';
export const OPT_OUT_PREFIX = 'optOut_';

/** Where an opt-out came from: the STOP keyword, WhatsApp `user_preferences`, a Messenger/Instagram opt-in token's stop. */
export type OptOutSource = 'keyword' | 'user_preferences' | 'messenger_stop';

/** A topic names a counter: kept short (an attribute name is at most 255 bytes). */
const MAX_TOPIC = 100;
export const optInCounter = (topic: string): string => `${OPT_IN_PREFIX}${topic.slice(0, MAX_TOPIC)}`;
export const optOutCounter = (source: OptOutSource): string => `${OPT_OUT_PREFIX}${source}`;

export type Deltas = Record<string, number>;

/** One change to one local day's counters, applied once however often it is offered. */
export interface Contribution {
  /** Unique among the account's contributions to that day; names no person. */
  key: string;
  day: string;
  deltas: Deltas;
}

export interface DayCounts {
  day: string;
  counts: Record<string, number>;
}

export const negate = (deltas: Deltas): Deltas => Object.fromEntries(Object.entries(deltas).map(([name, n]) => [name, -n]));
