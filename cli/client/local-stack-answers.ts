/**
 * What the local stack's stand-ins for EventBridge take and answer: PutEvents on the business bus
 * and the campaign rules. They are not admin routes (AWS has none of them), so not in the contract;
 * their types come from the stand-ins themselves.
 */
import type { LocalRule } from '../../lambdas/local/local-scheduler';
import type { PutEventsEntry, PutEventsResult } from '../../lambdas/local/local-event-bus';

export interface PutEventsBody {
  Entries: PutEventsEntry[];
}
export type PutEventsAnswer = PutEventsResult;
export interface LocalRulesAnswer {
  rules: LocalRule[];
}
export interface FireRuleAnswer {
  campaignId: string;
  firingAt: string;
  occurrenceKey: string;
  outcome: string | null;
}
