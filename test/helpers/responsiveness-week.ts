/**
 * A seeded week of WhatsApp conversations with known first-response times, and what responsiveness
 * must report for it (README "Responsiveness"). Twenty people, each writing twice a few seconds
 * apart, on the account's local days 2026-11-30 (Mon) to 2026-12-06 (Sun) in Europe/Berlin; a human
 * answers nineteen of them after the delay given, then writes once more (no turn waits: it counts
 * for nothing), and the last person is never answered.
 */
export const WEEK_ZONE = 'Europe/Berlin';
export const WEEK_FROM = '2026-11-30';
export const WEEK_TO = '2026-12-06';

/** Seconds from the person's first message to the human's reply; null: never answered. */
export const DELAYS: readonly (number | null)[] = [5, 20, 29, 30, 45, 119, 120, 200, 299, 300, 420, 599, 600, 900, 1799, 1800, 3599, 3600, 7200, null];

export interface SeededConversation {
  waId: string;
  /** The person's first message (ms); their second follows 3 s later. */
  openAt: number;
  delaySeconds: number | null;
}

/** Conversation i opens on day i mod 7 at 09:00 UTC (10:00 in Berlin) plus i minutes. */
export const WEEK: readonly SeededConversation[] = DELAYS.map((delaySeconds, i) => ({
  waId: `49151000070${String(i).padStart(2, '0')}`,
  openAt: Date.UTC(2026, 10, 30 + (i % 7), 9, i),
  delaySeconds,
}));

export type SeededEvent = { kind: 'in' | 'reply'; waId: string; at: number; id: string };

/** Every message of the week, in time order: the person's two, the human's reply and follow-up. */
export const weekEvents = (): SeededEvent[] =>
  WEEK.flatMap((c, i): SeededEvent[] => [
    { kind: 'in', waId: c.waId, at: c.openAt, id: `wamid.week-${i}-in-1` },
    { kind: 'in', waId: c.waId, at: c.openAt + 3_000, id: `wamid.week-${i}-in-2` },
    ...(c.delaySeconds === null
      ? []
      : [
          { kind: 'reply' as const, waId: c.waId, at: c.openAt + c.delaySeconds * 1000, id: `wamid.week-${i}-reply-1` },
          { kind: 'reply' as const, waId: c.waId, at: c.openAt + c.delaySeconds * 1000 + 60_000, id: `wamid.week-${i}-reply-2` },
        ]),
  ]).sort((a, b) => a.at - b.at);

/** What the week must report (worked out by hand from DELAYS). */
export const WEEK_EXPECTED = {
  conversations: 20,
  answered: 19,
  waiting: 1,
  responseRate: 0.95,
  medianSeconds: 300,
  // (5+20+29+30+45+119+120+200+299+300+420+599+600+900+1799+1800+3599+3600+7200) / 19 = 21684 / 19
  meanSeconds: 1141.263,
  buckets: { under_30s: 3, '30s_to_2m': 3, '2m_to_5m': 3, '5m_to_10m': 3, '10m_to_30m': 3, '30m_to_1h': 2, over_1h: 2 },
  // SLA 300 s: 5 … 300, ten turns of twenty.
  withinSla: { seconds: 300, answered: 10, share: 0.5 },
  // Meta's response time: the fastest 18 of 19 (90 %, rounded up) average 14484 / 18 = 804.67 s ≤ 900 s.
  veryResponsive: { responseRate: 0.95, responseTimeSeconds: 14484 / 18, meets: true },
} as const;
