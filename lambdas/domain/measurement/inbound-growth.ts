import type { AutomationInbound } from '../automation/keyword-opt-out';
import { KEYWORD_OPT_OUT_REGISTER, keywordOptOutOf } from '../automation/keyword-opt-out';
import { consentOf } from '../consent/consent-record';
import type { RegisterWrite } from '../state-writes';
import { keywordCounter } from './audience-growth';
import { optInCounter } from './day-counters';

const CONSENT_PREFIX = 'consent_';

/**
 * The growth counters a person's message moves, read from what automation's rules write for it and
 * the state before: a WhatsApp consent on a topic the person hadn't consented to (or had stopped
 * since), else a STOP or START keyword that changed the person's opt-out. A redelivery of the event
 * that wrote the state names the same counters again (counted once, by event key); a keyword older
 * than the one stored changes nothing and counts nothing.
 */
export const inboundGrowthCounters = (inbound: AutomationInbound, state: Record<string, unknown>, writes: readonly RegisterWrite[]): string[] => {
  const keyword = keywordOptOutOf(state);
  const order = (register: string) => state[`${register}Order`];
  const consents = writes.filter((w) => w.register.startsWith(CONSENT_PREFIX));
  if (consents.length > 0) {
    return consents.flatMap((w) => {
      const stored = order(w.register);
      if (typeof stored === 'string' && stored > w.order) return [];
      const value = w.fields[w.register];
      if (typeof value !== 'string') return [];
      const topic = (JSON.parse(value) as { topic: string }).topic;
      const earlier = consentOf(state, topic);
      const already = earlier !== undefined && earlier.eventKey !== inbound.eventKey && keyword?.optedOut !== true;
      return already ? [] : [optInCounter(topic)];
    });
  }
  const write = writes.find((w) => w.register === KEYWORD_OPT_OUT_REGISTER);
  if (!write || (keyword?.order !== undefined && keyword.order > write.order)) return [];
  const optedOut = write.fields.keywordOptOut === true;
  const changed = (keyword?.optedOut ?? false) !== optedOut || keyword?.eventKey === inbound.eventKey;
  return changed ? [keywordCounter(optedOut ? 'stop' : 'start')] : [];
};
