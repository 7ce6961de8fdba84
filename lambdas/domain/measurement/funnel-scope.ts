import type { AccountRef } from '../events';

/**
 * What a sent message's funnel counts towards: its campaign occurrence (and through it its
 * campaign), the business-event trigger that asked for it, or its account's one-off sends of the
 * day it was created (UTC; a trigger's by that day too). Automated replies count nowhere: they answer a person, nobody measures
 * them as a send.
 */
export type FunnelScope =
  | { kind: 'occurrence'; campaignId: string; occurrenceKey: string }
  | { kind: 'trigger'; detailType: string; day: string }
  | { kind: 'sends'; account: AccountRef; day: string };

/** The parts of an outbox record its scope is read from. */
export interface ScopedSend {
  idempotencyKey: string;
  createdAt: number;
  intent: { channel: AccountRef['channel']; accountId: string };
  /** `<campaignId>#<occurrenceKey>`. */
  group?: string;
}

const BUSINESS_EVENT_PREFIX = 'event#';
const AUTOMATION_PREFIX = 'automation#';

/** The scope `send` counts in, or undefined for an automated reply. */
export const funnelScopeOf = (send: ScopedSend): FunnelScope | undefined => {
  if (send.group !== undefined) {
    const split = send.group.indexOf('#');
    return { kind: 'occurrence', campaignId: send.group.slice(0, split), occurrenceKey: send.group.slice(split + 1) };
  }
  if (send.idempotencyKey.startsWith(AUTOMATION_PREFIX)) return undefined;
  if (send.idempotencyKey.startsWith(BUSINESS_EVENT_PREFIX)) {
    // `event#<source>#<detail-type>#<key>` (business-event-key.ts); sources are dotted names, no '#'.
    const [, , detailType] = send.idempotencyKey.split('#');
    if (detailType !== undefined && detailType.length > 0) return { kind: 'trigger', detailType, day: dayOf(send.createdAt) };
  }
  return { kind: 'sends', account: { channel: send.intent.channel, accountId: send.intent.accountId }, day: dayOf(send.createdAt) };
};

/** The UTC day (YYYY-MM-DD) of an epoch-ms time. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A stable label of a scope, for fakes and logs. */
export const scopeLabel = (scope: FunnelScope): string => {
  switch (scope.kind) {
    case 'occurrence':
      return `occurrence#${scope.campaignId}#${scope.occurrenceKey}`;
    case 'trigger':
      return `trigger#${scope.detailType}#${scope.day}`;
    case 'sends':
      return `sends#${scope.account.channel}#${scope.account.accountId}#${scope.day}`;
  }
};
