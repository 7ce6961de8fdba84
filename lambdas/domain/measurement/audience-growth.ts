import type { OptInEvent, MarketingPreferenceEvent } from '../events';
import { digest } from '../event-key';
import { type Contribution, type DayCounts, NEW_CONTACTS, OPT_IN_PREFIX, OPT_OUT_PREFIX, optInCounter, optOutCounter, type OptOutSource } from './day-counters';

/**
 * Audience growth per local day (README "Audience growth"): new contacts (a person's first message
 * to the account), opt-ins by topic, opt-outs by source, and net = opt-ins − opt-outs (ManyChat's
 * "Net Contacts": subscribed − unsubscribed). Each opt-in or opt-out event counts once, under its
 * event key, on the local day Meta dated it.
 */
export interface GrowthDay {
  day: string;
  newContacts: number;
  optIns: Record<string, number>;
  optOuts: Record<string, number>;
  net: number;
}

/** WhatsApp `user_preferences` and START / STOP keywords concern marketing as a whole, not a topic. */
export const MARKETING_TOPIC = 'marketing';
/** A Messenger opt-in whose token carries neither payload nor title. */
export const NO_TOPIC = '(none)';

export const growthContribution = (eventKey: string, day: string, counter: string): Contribution => ({ key: digest(`growth#${eventKey}#${counter}`), day, deltas: { [counter]: 1 } });

/** The counter a webhook's opt-in or preference event moves, if any. */
export const growthCounterOf = (event: OptInEvent | MarketingPreferenceEvent): string => {
  if (event.type === 'marketing_preference') return event.value === 'stop' ? optOutCounter('user_preferences') : optInCounter(MARKETING_TOPIC);
  if (event.change === 'stop') return optOutCounter('messenger_stop');
  return optInCounter(event.payload ?? event.title ?? NO_TOPIC);
};

export const keywordCounter = (action: 'stop' | 'start'): string => (action === 'stop' ? optOutCounter('keyword' satisfies OptOutSource) : optInCounter(MARKETING_TOPIC));

const withPrefix = (counts: Record<string, number>, prefix: string): Record<string, number> =>
  Object.fromEntries(
    Object.entries(counts)
      .filter(([name, n]) => name.startsWith(prefix) && n !== 0)
      .map(([name, n]) => [name.slice(prefix.length), n]),
  );

const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

export const growthDay = ({ day, counts }: DayCounts): GrowthDay => {
  const optIns = withPrefix(counts, OPT_IN_PREFIX);
  const optOuts = withPrefix(counts, OPT_OUT_PREFIX);
  return { day, newContacts: counts[NEW_CONTACTS] ?? 0, optIns, optOuts, net: sum(optIns) - sum(optOuts) };
};

export const growthTotals = (days: readonly GrowthDay[]): Omit<GrowthDay, 'day'> => {
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
    return into;
  };
  const optIns = days.reduce((acc, d) => add(acc, d.optIns), {} as Record<string, number>);
  const optOuts = days.reduce((acc, d) => add(acc, d.optOuts), {} as Record<string, number>);
  return { newContacts: days.reduce((a, d) => a + d.newContacts, 0), optIns, optOuts, net: sum(optIns) - sum(optOuts) };
};
