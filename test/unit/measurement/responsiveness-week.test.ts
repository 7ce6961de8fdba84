/**
 * Interface under test: noteConversationEvent (measurement/note-conversation.ts) over in-memory day
 * counters and turn logs, read back by the responsiveness calculator: a seeded week of conversations
 * with known reply times gives the exact figures, in any order, delivered twice, and after a crash
 * between the log's write and the counters'.
 */
import { InMemoryConversationTurns } from '../../../lambdas/adapters/memory/conversation-turns';
import { InMemoryMeasurementCounters } from '../../../lambdas/adapters/memory/measurement-counters';
import type { ContactRef } from '../../../lambdas/domain/events';
import { NEW_CONTACTS } from '../../../lambdas/domain/measurement/day-counters';
import { responsiveness, veryResponsive } from '../../../lambdas/domain/measurement/responsiveness';
import { type MeasurementDeps, noteConversationEvent } from '../../../lambdas/measurement/note-conversation';
import type { MeasurementCounters } from '../../../lambdas/ports/measurement-counters';
import { type SeededEvent, WEEK_EXPECTED, WEEK_FROM, WEEK_TO, WEEK_ZONE, weekEvents } from '../../helpers/responsiveness-week';
import { PHONE } from '../../helpers/sample-ids';

const ACCOUNT = { channel: 'whatsapp' as const, accountId: PHONE };
const contactOf = (waId: string): ContactRef => ({ ...ACCOUNT, userId: waId });

const play = async (deps: MeasurementDeps, events: readonly SeededEvent[]) => {
  for (const e of events) await noteConversationEvent(deps, contactOf(e.waId), { kind: e.kind, at: e.at, eventKey: `whatsapp#${PHONE}#wamid#${e.id}` }, WEEK_ZONE);
};

const report = async (counters: MeasurementCounters) => {
  const days = await counters.days(ACCOUNT, WEEK_FROM, WEEK_TO);
  return { ...responsiveness(days, 300), veryResponsive: veryResponsive(days), newContacts: days.reduce((n, d) => n + (d.counts[NEW_CONTACTS] ?? 0), 0) };
};

const expected = { ...WEEK_EXPECTED, newContacts: 20 };

/** A deterministic shuffle (a fixed LCG), so a failure replays. */
const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

describe('responsiveness over a seeded week', () => {
  it('gives the exact rate, median, mean, buckets, SLA share and badge verdict', async () => {
    const deps = { turns: new InMemoryConversationTurns(), counters: new InMemoryMeasurementCounters() };

    await play(deps, weekEvents());

    expect(await report(deps.counters)).toEqual(expected);
  });

  it.each([1, 2, 3])('gives the same figures with every event delivered twice, out of order (seed %i)', async (seed) => {
    const deps = { turns: new InMemoryConversationTurns(), counters: new InMemoryMeasurementCounters() };

    await play(deps, shuffled([...weekEvents(), ...weekEvents()], seed));

    expect(await report(deps.counters)).toEqual(expected);
  });

  it('loses and doubles nothing when the counters fail after the log was written, once the event comes again', async () => {
    const counters = new InMemoryMeasurementCounters();
    let failures = 0;
    const flaky: MeasurementCounters = {
      add: (account, contribution) => {
        failures += 1;
        if (failures % 7 === 0) return Promise.reject(new Error('throttled'));
        return counters.add(account, contribution);
      },
      days: (...args) => counters.days(...args),
    };
    const deps = { turns: new InMemoryConversationTurns(), counters: flaky };

    for (const e of weekEvents()) {
      // The caller's retry (SQS, Meta, the API client) delivers the same event again.
      for (;;) {
        try {
          await play(deps, [e]);
          break;
        } catch {
          continue;
        }
      }
    }

    expect(await report(counters)).toEqual(expected);
  });

  it('takes back a turn a late message reopens earlier: the response time grows, the counts stay', async () => {
    const deps = { turns: new InMemoryConversationTurns(), counters: new InMemoryMeasurementCounters() };
    const at = Date.UTC(2026, 11, 1, 9, 0);

    await play(deps, [
      { kind: 'in', waId: '4915100009901', at: at + 60_000, id: 'late-2' },
      { kind: 'reply', waId: '4915100009901', at: at + 120_000, id: 'late-r' },
      { kind: 'in', waId: '4915100009901', at, id: 'late-1' },
    ]);

    expect(responsiveness(await deps.counters.days(ACCOUNT, '2026-12-01', '2026-12-01'), 300)).toMatchObject({ conversations: 1, answered: 1, medianSeconds: 120, meanSeconds: 120 });
  });

  it('counts a reply with no one waiting as nothing, and a message after it as a turn still waiting', async () => {
    const deps = { turns: new InMemoryConversationTurns(), counters: new InMemoryMeasurementCounters() };
    const at = Date.UTC(2026, 11, 1, 9, 0);

    await play(deps, [
      { kind: 'reply', waId: '4915100009902', at, id: 'first-r' },
      { kind: 'in', waId: '4915100009902', at: at + 1000, id: 'then-in' },
    ]);

    expect(responsiveness(await deps.counters.days(ACCOUNT, '2026-12-01', '2026-12-01'), 300)).toMatchObject({ conversations: 1, answered: 0, waiting: 1, responseRate: 0, medianSeconds: null });
  });
});
