import { keywordOptOutOf, planKeyword } from './keyword-opt-out';
import type { AutomationRule } from './rule';

/** STOP / START: always recorded; confirmed once per change unless someone else answers the person. */
export const keywordRule: AutomationRule = ({ inbound, state, silenced }) => {
  const plan = planKeyword(silenced ? { ...inbound, standby: true } : inbound, keywordOptOutOf(state));
  if (!plan) return undefined;
  return { rule: 'keyword', writes: [plan.write], ...(plan.confirmation ? { send: plan.confirmation } : {}), handled: true };
};
