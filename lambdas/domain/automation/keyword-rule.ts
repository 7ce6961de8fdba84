import { keywordOptOutOf, planKeyword } from './keyword-opt-out';
import type { AutomationRule } from './rule';
import { keywordConsentEvent } from '../measurement/events-out';

/**
 * STOP / START: always recorded; confirmed once per change unless someone else answers the person.
 * A STOP is the person's whole answer, so nothing else speaks to them; a START that changed nothing
 * (a new person's first "Start") is left to the rules after it, so they are still greeted.
 */
export const keywordRule: AutomationRule = ({ inbound, state, silenced }) => {
  const plan = planKeyword(silenced ? { ...inbound, standby: true } : inbound, keywordOptOutOf(state));
  if (!plan) return undefined;
  const handled = plan.confirmation !== undefined || plan.match.action === 'stop';
  // The shop hears of a change (when the stage puts afterchat's events on the bus: lambdas/measurement/events-out-gate.ts).
  const busEvents = plan.changed ? [keywordConsentEvent(inbound, plan.match)] : [];
  return { rule: 'keyword', writes: [plan.write], ...(plan.confirmation ? { send: plan.confirmation } : {}), ...(busEvents.length > 0 ? { busEvents } : {}), handled };
};
