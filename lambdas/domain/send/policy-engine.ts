import { decideInbox } from './messenger-policy';
import { channelLabel, isoTime, refuse, type PolicyContext } from './policy-context';
import type { PolicyRule } from './policy-rule-types';
import { POLICY_RULES } from './policy-rules';
import type { AccountPolicyState, ContactPolicyState, Decision } from './policy-types';
import { ruleBook } from './rule-book';
import type { SendIntent } from './send-intent';
import { decideWhatsApp } from './whatsapp-policy';

export type PolicyEngine = (intent: SendIntent, contact: ContactPolicyState, account: AccountPolicyState, now: number) => Decision;

/** Each step moves strictly later; chains of time-gated refusals are a handful long at most. */
const MAX_SETTLE_STEPS = 8;

/** The engine over a rule table; `decide` uses Meta's rules as afterchat knows them. */
export const createPolicyEngine = (rules: readonly PolicyRule[]): PolicyEngine => {
  const decideAt: PolicyEngine = (intent, contact, account, now) => {
    const ctx: PolicyContext = { intent, contact, account, now, rules: ruleBook(rules, intent.channel, now) };
    return gate(ctx) ?? (intent.channel === 'whatsapp' ? decideWhatsApp(ctx) : decideInbox(ctx, intent.channel));
  };
  return (intent, contact, account, now) => settle(decideAt(intent, contact, account, now), (at) => decideAt(intent, contact, account, at));
};

const engine = createPolicyEngine(POLICY_RULES);

/** May this intent be sent now, through which door and at what price — or why not. Pure: time is a parameter. */
export function decide(intent: SendIntent, contact: ContactPolicyState, account: AccountPolicyState, now: number): Decision {
  return engine(intent, contact, account, now);
}

/** What stops any send before the channel's doors are even considered. */
const gate = (ctx: PolicyContext): Decision | undefined => {
  const { account, contact, intent, now, rules } = ctx;
  if (account.blocked === true) {
    return refuse('account_blocked', rules.get('account.blocked').id, 'Meta blocked this account for a policy violation: nothing can be sent until the block is lifted.');
  }
  if (account.tokenInvalid === true) {
    return refuse('token_invalid', rules.get('account.token_invalid').id, "Meta rejected this account's access token: an operator must reconnect the account.");
  }
  if (contact.unreachableUntil !== undefined && now < contact.unreachableUntil) {
    return refuse(
      'recipient_unreachable',
      rules.get('contact.unreachable').id,
      `This person cannot receive messages from the account until ${isoTime(contact.unreachableUntil)}.`,
      contact.unreachableUntil,
    );
  }
  if (intent.kind === 'human_agent_reply' && intent.author !== 'human') {
    return refuse('human_agent_needs_human', 'human_agent', 'HUMAN_AGENT replies must be written by a person: a bot may only reply inside the 24 h window.');
  }
  const type = intent.content.type;
  const byChannel = rules.get('content.channel');
  if (!byChannel.params.contentTypes.includes(type)) {
    return refuse('content_not_supported', byChannel.id, `${channelLabel(intent.channel)} cannot send ${type} content.`);
  }
  const byKind = rules.get('content.kind');
  if (!byKind.params.contentByKind[intent.kind].includes(type)) {
    return refuse('content_not_supported', byKind.id, `A ${intent.kind} cannot be sent as ${type} content.`);
  }
  return undefined;
};

/**
 * `earliestAt` promises that the same intent is allowed then. A first blocker's end may reveal a
 * second (a cooldown after a back-off) or a dead end (the window closes meanwhile): follow the chain.
 */
const settle = (first: Decision, decideAt: (now: number) => Decision): Decision => {
  if (first.outcome === 'allow' || first.earliestAt === undefined) return first;
  let candidate = first.earliestAt;
  for (let step = 0; step < MAX_SETTLE_STEPS; step += 1) {
    const later = decideAt(candidate);
    if (later.outcome === 'allow') return { ...first, earliestAt: candidate };
    if (later.earliestAt === undefined || later.earliestAt <= candidate) return refuse(first.reason, first.rule, first.detail);
    candidate = later.earliestAt;
  }
  return { ...first, earliestAt: candidate };
};
