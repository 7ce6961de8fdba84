/** Interface under test: the pure turn log (domain/measurement/conversation-turns.ts) and the response-time histogram. */
import { emptyTurnLog, MAX_ENTRIES, noteTurnEvent, REORDER_WINDOW_MS, type TurnLog } from '../../../lambdas/domain/measurement/conversation-turns';
import { ANSWERED, OPENED } from '../../../lambdas/domain/measurement/day-counters';
import { bucketCounts, countWithin, medianSeconds, responseBin } from '../../../lambdas/domain/measurement/response-times';

const ZONE = 'Europe/Berlin';
const T0 = Date.UTC(2026, 11, 1, 9, 0);

const apply = (log: TurnLog, events: [kind: 'in' | 'reply', at: number, key: string][]): TurnLog =>
  events.reduce((l, [kind, at, eventKey]) => noteTurnEvent(l, { kind, at, eventKey }, ZONE) ?? l, log);

/** The net counts per day the pending contributions add up to. */
const net = (log: TurnLog): Record<string, Record<string, number>> => {
  const out: Record<string, Record<string, number>> = {};
  for (const c of log.pending) for (const [name, n] of Object.entries(c.deltas)) (out[c.day] ??= {})[name] = (out[c.day]![name] ?? 0) + n;
  for (const day of Object.values(out)) for (const name of Object.keys(day)) if (day[name] === 0) delete day[name];
  return out;
};

describe('the conversation-turn log', () => {
  it('answers nothing new for a redelivered event', () => {
    const log = apply(emptyTurnLog('salt'), [['in', T0, 'a']]);

    expect(noteTurnEvent(log, { kind: 'in', at: T0, eventKey: 'a' }, ZONE)).toBeUndefined();
  });

  it('counts a turn on the local day it opened, though answered the next day', () => {
    // 22:50 UTC on the 1st is 23:50 in Berlin; the reply comes at 00:20 on the 2nd.
    const open = Date.UTC(2026, 11, 1, 22, 50);
    const log = apply(emptyTurnLog('salt'), [
      ['in', open, 'a'],
      ['reply', open + 30 * 60_000, 'r'],
    ]);

    expect(net(log)).toEqual({ '2026-12-01': { [OPENED]: 1, [ANSWERED]: 1, responseMs: 1_800_000, rt_1800: 1, newContacts: 1 } });
  });

  it('settles turns out of the reorder window, ignores events that old, and keeps the counts', () => {
    const old = apply(emptyTurnLog('salt'), [
      ['in', T0, 'a'],
      ['reply', T0 + 60_000, 'r'],
    ]);
    const later = apply(old, [['in', T0 + REORDER_WINDOW_MS + 120_000, 'b']]);

    expect(later.entries).toHaveLength(1);
    expect(later.settledThrough).toBe(T0 + 60_000);
    expect(noteTurnEvent(later, { kind: 'in', at: T0 - 1000, eventKey: 'too-late' }, ZONE)).toBeUndefined();
    expect(net(later)).toEqual({ '2026-12-01': { [OPENED]: 1, [ANSWERED]: 1, responseMs: 60_000, rt_60: 1, newContacts: 1 }, '2026-12-09': { [OPENED]: 1 } });
  });

  it('keeps at most MAX_ENTRIES entries for a chatty person, cut at a reply', () => {
    const events: [kind: 'in' | 'reply', at: number, key: string][] = [];
    for (let i = 0; i < MAX_ENTRIES; i += 1) events.push(['in', T0 + i * 2000, `in-${i}`], ['reply', T0 + i * 2000 + 1000, `r-${i}`]);

    const log = apply(emptyTurnLog('salt'), events);

    expect(log.entries.length).toBeLessThanOrEqual(MAX_ENTRIES);
    expect(log.entries[0]?.kind).toBe('in');
    expect(net(log)['2026-12-01']).toMatchObject({ [OPENED]: MAX_ENTRIES, [ANSWERED]: MAX_ENTRIES });
  });
});

describe('the response-time histogram', () => {
  it('keeps seconds up to an hour, minutes up to a day, hours beyond', () => {
    expect([responseBin(29_999), responseBin(3_599_999), responseBin(3_659_000), responseBin(90_061_000)]).toEqual([29, 3599, 3600, 86_400 + 3600]);
  });

  it('puts 30 s in 30s_to_2m and an hour in over_1h; the SLA counts whole seconds up to it', () => {
    const h = new Map([
      [29, 1],
      [30, 1],
      [3600, 1],
    ]);

    expect(bucketCounts(h)).toMatchObject({ under_30s: 1, '30s_to_2m': 1, over_1h: 1 });
    expect(countWithin(h, 30)).toBe(2);
    expect(medianSeconds(h)).toBe(30);
    expect(medianSeconds(new Map([[10, 1], [20, 1]]))).toBe(15);
  });
});
