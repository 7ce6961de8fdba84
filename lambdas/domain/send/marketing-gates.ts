import { isoTime, refuse, type PolicyContext } from './policy-context';
import type { ContactPolicyState, Decision, OptInPolicyState } from './policy-types';
import type { SendIntent } from './send-intent';

/** The opt-ins a marketing send may use: those of its topic (by topic or title), or all when it names none. */
export const optInsFor = (intent: SendIntent, contact: ContactPolicyState): OptInPolicyState[] => {
  const { topic } = intent;
  return contact.optIns.filter((optIn) => topic === undefined || optIn.topic === topic || optIn.title === topic);
};

/** The token a Messenger marketing send goes out on: the active one used longest ago, since Meta's gaps run per token. */
export const marketingToken = (intent: SendIntent, contact: ContactPolicyState): OptInPolicyState | undefined =>
  optInsFor(intent, contact)
    .filter((optIn) => optIn.status === 'active')
    .reduce<OptInPolicyState | undefined>((best, optIn) => (best === undefined || sentAt(optIn) < sentAt(best) ? optIn : best), undefined);

const sentAt = (optIn: OptInPolicyState): number => optIn.lastSentAt ?? Number.NEGATIVE_INFINITY;

/**
 * Nothing marketing reaches someone who said stop: a WhatsApp stop (or 131050 / 2300034), a STOP
 * keyword written to the account (every channel: on Messenger it holds all their tokens), or
 * Messenger opt-ins for the topic that are all stopped. Someone who never opted in is not "stopped":
 * inside the window Meta allows promotion to them. A WhatsApp contact only an import knows of, with
 * no consent recorded, gets none: an import never grants more than a real opt-in would.
 */
export const consentRefusal = (ctx: PolicyContext): Decision | undefined => {
  const rule = ctx.rules.get('marketing.consent');
  if (ctx.contact.marketingOptOut === true) {
    return refuse('marketing_opted_out', rule.id, 'This person stopped marketing messages: only non-promotional messages can be sent.');
  }
  if (ctx.intent.channel === 'whatsapp' && ctx.contact.importedWithoutConsent === true) {
    return refuse(
      'no_marketing_consent',
      rule.id,
      'This contact came from an import without a consent record and has never written: import their consent (basis express, with the text they were shown) or ask them in the chat.',
    );
  }
  const keyword = ctx.contact.keywordOptOut;
  if (keyword) {
    const when = keyword.at === undefined ? '' : ` on ${isoTime(keyword.at)}`;
    return refuse('marketing_opted_out', rule.id, `This person wrote "${keyword.keyword}"${when} (keyword opt-out): no marketing until they write START.`);
  }
  const optIns = optInsFor(ctx.intent, ctx.contact);
  if (optIns.length > 0 && optIns.every((optIn) => optIn.status === 'stopped')) {
    const what = ctx.intent.topic === undefined ? 'every marketing topic' : `the topic "${ctx.intent.topic}"`;
    return refuse('opt_in_stopped', rule.id, `This person stopped ${what}: nothing promotional may be sent under it.`);
  }
  return undefined;
};

/**
 * Meta's per-person marketing back-off (WhatsApp 131049, Messenger frequency caps): wait it out. It
 * holds all marketing, in the window too, because a pause "for good" is how a Messenger stop is recorded.
 */
export const pauseRefusal = (ctx: PolicyContext): Decision | undefined => {
  const until = ctx.contact.marketingPausedUntil;
  if (until === undefined || until <= ctx.now) return undefined;
  const rule = ctx.rules.get('marketing.per_user_limit');
  return refuse('marketing_limit_backoff', rule.id, `Meta asked to hold marketing to this person until ${isoTime(until)}.`, until);
};
