import { decideInbox } from './messenger-policy';
import { channelLabel, isoTime, refuse, type PolicyContext, type PolicySettings } from './policy-context';
import type { PolicyRule } from './policy-rule-types';
import { POLICY_RULES } from './policy-rules';
import type { AccountPolicyState, ContactPolicyState, Decision } from './policy-types';
import { ruleBook } from './rule-book';
import type { SendIntent } from './send-intent';
import { decideWhatsApp } from './whatsapp-policy';

export type PolicyEngine = (intent: SendIntent, contact: ContactPolicyState, account: AccountPolicyState, now: number, settings?: PolicySettings) => Decision;

/** Each step moves strictly later; chains of time-gated refusals are a handful long at most. */
const MAX_SETTLE_STEPS = 8;

/** The engine over a rule table; `decide` uses Meta's rules as afterchat knows them. */
export const createPolicyEngine = (rules: readonly PolicyRule[]): PolicyEngine => {
  const decideAt: PolicyEngine = (intent, contact, account, now, settings = {}) => {
    const ctx: PolicyContext = { intent, contact, account, now, rules: ruleBook(rules, intent.channel, now), settings };
    return gate(ctx) ?? (intent.channel === 'whatsapp' ? decideWhatsApp(ctx) : decideInbox(ctx, intent.channel));
  };
  return (intent, contact, account, now, settings) =>
    settle(decideAt(intent, contact, account, now, settings), (at) => decideAt(intent, contact, account, at, settings));
};

const engine = createPolicyEngine(POLICY_RULES);

/** May this intent be sent now, through which door and at what price — or why not. Pure: time is a parameter. */
export function decide(intent: SendIntent, contact: ContactPolicyState, account: AccountPolicyState, now: number, settings?: PolicySettings): Decision {
  return engine(intent, contact, account, now, settings);
}

/** What stops any send before the channel's doors are even considered. */
const gate = (ctx: PolicyContext): Decision | undefined => {
  const { account, contact, intent, now, rules } = ctx;
  if (account.blocked === true) {
    const said = account.blockReason === undefined ? '' : ` (${account.blockReason})`;
    return refuse('account_blocked', rules.get('account.blocked').id, `Meta blocked this account${said}: nothing can be sent until the block is lifted.`);
  }
  const pause = account.sendingPause;
  if (pause !== undefined && now < pause.until) {
    const rule = rules.get('account.sending_pause');
    if (rule.params.tokenReasons.includes(pause.reason)) {
      return refuse('token_invalid', rule.id, `Meta rejected this account's access token: an operator must reconnect the account (sends resume at ${isoTime(pause.until)} to try again).`, pause.until);
    }
    const code = pause.code === undefined ? '' : ` (error ${pause.code})`;
    return refuse('account_paused', rule.id, `Meta refused a send for the whole account${code}, ${pause.reason.replaceAll('_', ' ')}: sends are paused until ${isoTime(pause.until)}.`, pause.until);
  }
  if (contact.unreachableUntil !== undefined && now < contact.unreachableUntil) {
    return refuse(
      'recipient_unreachable',
      rules.get('contact.unreachable').id,
      `This person cannot receive messages from the account until ${isoTime(contact.unreachableUntil)}.`,
      contact.unreachableUntil,
    );
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
