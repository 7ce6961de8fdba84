import type { Channel } from '../events';
import type { AccountPolicyState, ContactPolicyState, Decision, PricingCategory, RefusalReason, RouteName } from './policy-types';
import type { Region } from './policy-rule-types';
import type { RuleBook } from './rule-book';
import type { SendIntent } from './send-intent';

const HOUR_MS = 3_600_000;
/** The last instant a JS Date can hold; stored state uses MAX_SAFE_INTEGER for "for good". */
const LAST_DATE_MS = 8.64e15;

/** A deployment's choices within Meta's rules. */
export interface PolicySettings {
  /** Overrides the `window.closing` rule's margin (the stack setting windowClosingMarginSeconds). */
  windowClosingMarginMs?: number;
}

/** Everything one decision may look at. */
export interface PolicyContext {
  intent: SendIntent;
  contact: ContactPolicyState;
  account: AccountPolicyState;
  now: number;
  rules: RuleBook;
  settings: PolicySettings;
}

export const allow = (route: RouteName, pricing: PricingCategory, rule: string): Decision => ({ outcome: 'allow', route, pricing, rule });

/** A block "for good" has no earliest time: waiting doesn't help. */
export const refuse = (reason: RefusalReason, rule: string, detail: string, earliestAt?: number): Decision =>
  earliestAt === undefined || earliestAt >= LAST_DATE_MS
    ? { outcome: 'refuse', reason, detail, rule }
    : { outcome: 'refuse', reason, detail, earliestAt, rule };

export interface StandardWindow {
  open: boolean;
  /** Open, but so close to its end that a free-form send could reach Meta after it closed. */
  closing: boolean;
  /** Id of the window rule, for decisions that rest on it. */
  rule: string;
}

/**
 * The 24 h window. Only openers the channel's rule counts may start it; otherwise it runs from the
 * last message. A state without `openedBy` predates opener tracking and counts as a message.
 */
export const standardWindow = (ctx: PolicyContext): StandardWindow => {
  const rule = ctx.rules.get('window.standard');
  const { lastInboundAt, lastMessageAt, openedBy } = ctx.contact;
  const counts = openedBy === undefined || rule.params.openers.includes(openedBy);
  const start = counts ? lastInboundAt : lastMessageAt;
  // A message is an inbound event too: a window never starts after the last one, whatever the state says.
  const openedAt = start === undefined || lastInboundAt === undefined ? undefined : Math.min(start, lastInboundAt);
  if (openedAt === undefined) return { open: false, closing: false, rule: rule.id };
  const closesAt = openedAt + rule.params.windowMs;
  const margin = ctx.settings.windowClosingMarginMs ?? ctx.rules.get('window.closing').params.marginMs;
  return { open: ctx.now < closesAt, closing: ctx.now < closesAt && ctx.now >= closesAt - margin, rule: rule.id };
};

/**
 * A free-form send rests on the window: allowed while it is open, refused as `window_closing` in its
 * last moments (it would reach Meta too late), as `window_closed` after.
 */
export const inWindow = (ctx: PolicyContext, window: StandardWindow, allowed: () => Decision): Decision | undefined => {
  if (!window.open) return undefined;
  if (!window.closing) return allowed();
  const margin = ctx.settings.windowClosingMarginMs ?? ctx.rules.get('window.closing').params.marginMs;
  return refuse(
    'window_closing',
    ctx.rules.get('window.closing').id,
    `The 24 h window closes in under ${Math.round(margin / 1000)} s: a free-form message could reach Meta after it closed. Send an approved template, or wait for the person to write.`,
  );
};

export const inRegion = (country: string, region: Region): boolean =>
  region === 'everywhere' || region.includes(country.toUpperCase());

export const describeDuration = (ms: number): string =>
  ms < 48 * HOUR_MS ? `${Math.round(ms / HOUR_MS)} h` : `${Math.round(ms / (24 * HOUR_MS))} days`;

const CHANNEL_LABELS: Record<Channel, string> = { messenger: 'Messenger', instagram: 'Instagram', whatsapp: 'WhatsApp' };

export const channelLabel = (channel: Channel): string => CHANNEL_LABELS[channel];

export const isoTime = (ms: number): string => (ms >= LAST_DATE_MS ? 'further notice' : new Date(ms).toISOString());
