import type { AutomationRuleName } from '../domain/automation/rule';
import { usageDay } from '../domain/automation/usage';
import { marketOf } from '../domain/campaign/recipient-market';
import type { Decision } from '../domain/send/policy-types';
import type { SendIntent } from '../domain/send/send-intent';
import type { AutomationUsageStore } from '../ports/automation-usage-store';

export interface AutomatedSendAttempt {
  rule: AutomationRuleName;
  intent: SendIntent;
  /** The job the send path created or found under the automation's idempotency key. */
  outboxId: string;
  decision: Decision;
  /** When the inbound event that caused the send happened, or its outbox job was created: the same on every attempt, so the day is too. */
  causedAt: number;
  /** The account's IANA zone: usage is counted per local day. */
  timeZone: string;
}

/**
 * Counts an automated send for the cost report. Call it on every attempt, not only when the job was
 * created: a crash after the job and before the count is redelivered, the rule plans the same send,
 * and it is counted then. The store counts a send once (its outbox id is in its key), and every
 * attempt names the same day and rule, so a send is never counted twice.
 */
export const recordUsage = async (usage: Pick<AutomationUsageStore, 'record'>, attempt: AutomatedSendAttempt): Promise<void> => {
  const { intent, decision } = attempt;
  await usage.record({
    account: { channel: intent.channel, accountId: intent.accountId },
    day: usageDay(attempt.causedAt, attempt.timeZone),
    rule: attempt.rule,
    outboxId: attempt.outboxId,
    pricing: decision.outcome === 'allow' ? decision.pricing : null,
    market: marketOf(intent.channel, intent.userId),
  });
};
