import { localDate } from '../campaign/local-time';
import { digest } from '../event-key';
import { ANSWERED, type Contribution, type Deltas, negate, NEW_CONTACTS, OPENED, RESPONSE_MS } from './day-counters';
import { responseBinCounter } from './response-times';

/**
 * A person's conversation turns with one account, as responsiveness counts them (README
 * "Responsiveness"). A turn opens with the person's first message after the business's last human
 * reply and closes with the next human reply; its first-response time is the time between. The
 * turns are recomputed from the person's recent events on every new one, so the counters come out
 * the same whatever order the events arrive in: what changed since the last computation becomes
 * contributions (a turn no longer there is taken back, a new one added), kept as pending on this log
 * in the same write, and applied to the day counters after it (measurement/note-conversation.ts).
 */
export type TurnEventKind = 'in' | 'reply';

export interface TurnEvent {
  kind: TurnEventKind;
  at: number;
  /** The event's identity: a redelivery is recognised by it (only its digest is kept). */
  eventKey: string;
}

interface TurnEntry {
  at: number;
  kind: TurnEventKind;
  id: string;
}

export interface CountedTurn {
  openAt: number;
  answeredAt?: number;
  /** The account's local day the turn opened on, where its counts went. */
  day: string;
}

export interface TurnLog {
  /** Bumped by every write: the optimistic lock, and part of each contribution's key. */
  version: number;
  /** Random per log, so contribution keys can't be traced to the person once the log is erased. */
  salt: string;
  entries: TurnEntry[];
  /** Events at or before this time are settled (their turns final, their entries dropped): a later arrival that old is ignored. */
  settledThrough?: number;
  /** The person's first message: the day they count as a new contact. */
  firstAt?: number;
  firstDay?: string;
  counted: CountedTurn[];
  pending: Contribution[];
}

/** How far back a late event still corrects the turns; Meta retries a webhook for up to 7 days. */
export const REORDER_WINDOW_MS = 8 * 86_400_000;
/** Entries kept at most (a chatty person), so the log stays a small item. */
export const MAX_ENTRIES = 120;

export const emptyTurnLog = (salt: string): TurnLog => ({ version: 0, salt, entries: [], counted: [], pending: [] });

const byTime = (a: TurnEntry, b: TurnEntry): number => a.at - b.at || (a.kind === b.kind ? a.id.localeCompare(b.id) : a.kind === 'in' ? -1 : 1);

/** The turns of a time-ordered run of events: every reply closes the turn the person's first message since the last reply opened. */
export const turnsOf = (entries: readonly TurnEntry[]): { openAt: number; answeredAt?: number }[] => {
  const turns: { openAt: number; answeredAt?: number }[] = [];
  let openAt: number | undefined;
  for (const entry of entries) {
    if (entry.kind === 'in') openAt ??= entry.at;
    else if (openAt !== undefined) {
      turns.push({ openAt, answeredAt: entry.at });
      openAt = undefined;
    }
  }
  if (openAt !== undefined) turns.push({ openAt });
  return turns;
};

export const turnDeltas = (turn: { openAt: number; answeredAt?: number }): Deltas => {
  if (turn.answeredAt === undefined) return { [OPENED]: 1 };
  const ms = turn.answeredAt - turn.openAt;
  return { [OPENED]: 1, [ANSWERED]: 1, [RESPONSE_MS]: ms, [responseBinCounter(ms)]: 1 };
};

const signature = (turn: { openAt: number; answeredAt?: number }): string => `${turn.openAt}:${turn.answeredAt ?? ''}`;

/** Drops the entries up to the latest reply that is out of the reorder window (or beyond the entry cap): every turn before it is final. */
const settle = (log: TurnLog): TurnLog => {
  const newest = log.entries.at(-1)?.at ?? 0;
  const overCap = log.entries.length - MAX_ENTRIES;
  let cut = -1;
  log.entries.forEach((entry, i) => {
    if (entry.kind === 'reply' && (entry.at < newest - REORDER_WINDOW_MS || i < overCap)) cut = i;
  });
  if (cut < 0) return log;
  const through = log.entries[cut]!.at;
  return { ...log, entries: log.entries.slice(cut + 1), settledThrough: through, counted: log.counted.filter((t) => t.openAt > through) };
};

/**
 * The log after `event`, with the contributions it causes added to `pending`; undefined when the
 * event changes nothing (a redelivery, or older than the settled part of the log).
 */
export const noteTurnEvent = (stored: TurnLog, event: TurnEvent, timeZone: string): TurnLog | undefined => {
  const id = digest(event.eventKey);
  if (stored.settledThrough !== undefined && event.at <= stored.settledThrough) return undefined;
  if (stored.entries.some((e) => e.id === id)) return undefined;
  const version = stored.version + 1;
  const entries = [...stored.entries, { at: event.at, kind: event.kind, id }].sort(byTime);
  const changes: Omit<Contribution, 'key'>[] = [];

  let { firstAt, firstDay } = stored;
  if (event.kind === 'in' && (firstAt === undefined || event.at < firstAt)) {
    if (firstDay !== undefined) changes.push({ day: firstDay, deltas: { [NEW_CONTACTS]: -1 } });
    firstAt = event.at;
    firstDay = localDate(event.at, timeZone);
    changes.push({ day: firstDay, deltas: { [NEW_CONTACTS]: 1 } });
  }

  const turns = turnsOf(entries);
  const now = new Set(turns.map(signature));
  const before = new Set(stored.counted.map(signature));
  const kept = stored.counted.filter((t) => now.has(signature(t)));
  for (const gone of stored.counted.filter((t) => !now.has(signature(t)))) changes.push({ day: gone.day, deltas: negate(turnDeltas(gone)) });
  const added = turns.filter((t) => !before.has(signature(t))).map((t) => ({ ...t, day: localDate(t.openAt, timeZone) }));
  for (const turn of added) changes.push({ day: turn.day, deltas: turnDeltas(turn) });

  const contributions = changes.map((c, i) => ({ ...c, key: digest(`${stored.salt}#${version}#${i}`) }));
  return settle({
    ...stored,
    version,
    entries,
    ...(firstAt === undefined ? {} : { firstAt, firstDay }),
    counted: [...kept, ...added].sort((a, b) => a.openAt - b.openAt),
    pending: [...stored.pending, ...contributions],
  });
};
