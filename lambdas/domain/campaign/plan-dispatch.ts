import type { Campaign } from '../../schemas/campaign';
import { matchesAudience } from '../audience/audience-filter';
import type { Channel } from '../events';
import type { PolicySettings } from '../send/policy-context';
import { decide } from '../send/policy-engine';
import type { AccountPolicyState, ContactPolicyState, PricingCategory, RouteName } from '../send/policy-types';
import type { SendContent, SendIntent, TemplateParameter } from '../send/send-intent';
import { estimateCost, type CostEstimate, type CostItem } from './cost-estimate';
import { capAllows } from './frequency-cap';
import { LOCAL_TIME_FIRING_INTERVAL_MS, isIanaTimeZone, targetInFiring } from './local-time';
import { ledgerKeyOf } from './ledger-key';
import { quietUntil } from './quiet-hours';
import { marketOf } from './recipient-market';
import { templateForLocale } from './template-language';

const HOUR_MS = 3_600_000;
/** SQS DelaySeconds tops out at 15 minutes, which is also the local-time firing interval. */
const MAX_DELAY_SECONDS = 900;
/** How long after a contact's local time a local-time send may still leave. */
const LOCAL_TIME_LATE_AFTER_MS = 30 * 60_000;
/** Indexed by `Date#getUTCDay()`, in the schema's spelling. */
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

export interface AudienceMember {
  channel: Channel;
  accountId: string;
  userId: string;
  /** Contact attributes (first_name, city, order_number...) used to fill template parameters. */
  attributes: Record<string, string>;
  tags: string[];
  /** IANA zone from the opt-in / contact, if known. */
  timeZone?: string;
  /** Marketing sends any campaign planned for this contact, by `ledgerKeyOf(send key)` (for the frequency cap). */
  marketingLedger: readonly { key: string; atMs: number }[];
  contact: ContactPolicyState;
}

export interface DispatchAccount {
  state: AccountPolicyState;
  /** The business's zone: local-time campaigns and quiet hours fall back to it for contacts without one. */
  timeZone: string;
}

export interface DispatchContext {
  campaign: Campaign;
  /** The scheduled event's time (EventBridge `time`), NOT the clock at invocation. */
  firingAtMs: number;
  /** Stable id of this firing, e.g. `<campaignId>#<ISO firing time>`. */
  occurrenceId: string;
  /** Keyed by `accountKey(channel, accountId)`. */
  accounts: Record<string, DispatchAccount>;
  now: number;
  /** What earlier pages of the occurrence left of `caps.maxRecipients` (see `recipientsLeft`). */
  recipientsLeft?: number;
  /**
   * Planning ahead of any firing (the preview): every member counts as due, local-time members at
   * their wall-clock time, others at `sendAtMs` (the next firing), where the policy engine also
   * decides (never before `now`). A local-time campaign has no single instant: it decides at `now`.
   */
  preview?: { sendAtMs: number };
  /** The deployment's policy settings (the window's closing margin). */
  policy?: PolicySettings;
}

export interface PlannedSend {
  /** The same member in the same occurrence always gets the same key, so re-running a firing sends nothing twice. */
  idempotencyKey: string;
  intent: SendIntent;
  route: RouteName;
  pricing: PricingCategory;
  delaySeconds: number;
}

export interface DispatchPlan {
  sends: PlannedSend[];
  /** Per reason: the planner's own (not_in_audience, quiet_hours, ...) or the policy engine's refusal reason. */
  skipped: Record<string, number>;
  /** Local-time members whose target is in another firing: not a skip, a later firing sends them. */
  notDue: number;
}

export const accountKey = (channel: Channel, accountId: string): string => `${channel}#${accountId}`;

/** Where a member stands once the schedule is applied. */
interface Slot {
  idempotencyKey: string;
  delaySeconds: number;
  /** The contact's zone, or the account's when the contact's is unknown. */
  zone: string;
  /** When the message leaves, for the quiet hours and the cap; undefined in a preview of a local-time campaign. */
  sendAtMs?: number;
}

type Step<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Which members this firing sends to, and how. Pure: the audience query, state reads and the actual
 * sends belong to the dispatcher. Members are planned in the order given, which decides who is cut by
 * `caps.maxRecipients`; that cap counts this plan's sends only.
 */
export function planDispatch(members: readonly AudienceMember[], ctx: DispatchContext): DispatchPlan {
  const plan: DispatchPlan = { sends: [], skipped: {}, notDue: 0 };
  const skip = (reason: string): void => {
    plan.skipped[reason] = (plan.skipped[reason] ?? 0) + 1;
  };
  // A paginated query can return a contact twice; one send per key keeps the recipient cap honest.
  const planned = new Set<string>();
  const maxRecipients = ctx.recipientsLeft ?? ctx.campaign.caps?.maxRecipients ?? Number.POSITIVE_INFINITY;
  for (const member of members) {
    const account = ctx.accounts[accountKey(member.channel, member.accountId)];
    if (!inAudience(member, ctx)) {
      skip('not_in_audience');
      continue;
    }
    if (account === undefined) {
      skip('account_unknown');
      continue;
    }
    const slot = slotOf(member, account, ctx);
    if (slot === 'not_due') {
      plan.notDue += 1;
      continue;
    }
    if (slot === 'too_late') {
      skip('too_late');
      continue;
    }
    if (planned.has(slot.idempotencyKey)) {
      skip('duplicate');
      continue;
    }
    const send = planMember(member, account, slot, ctx);
    if (!send.ok) {
      skip(send.reason);
      continue;
    }
    if (plan.sends.length >= maxRecipients) {
      skip('recipient_cap');
      continue;
    }
    planned.add(slot.idempotencyKey);
    plan.sends.push(send.value);
  }
  return plan;
}

/** The recipient cap counts the whole occurrence: what `planned` sends on earlier pages left of it. */
export const recipientsLeft = (campaign: Campaign, planned: number): number | undefined => {
  const max = campaign.caps?.maxRecipients;
  return max === undefined ? undefined : Math.max(0, max - planned);
};

/** What the plan would cost if every send is delivered, priced at `atMs`. */
export function estimatePlanCost(plan: DispatchPlan, atMs: number): CostEstimate {
  const items = new Map<string, CostItem>();
  for (const { intent, pricing } of plan.sends) {
    const market = marketOf(intent.channel, intent.userId);
    const key = `${intent.channel}#${pricing}#${market}`;
    const item = items.get(key) ?? { channel: intent.channel, category: pricing, market, count: 0 };
    item.count += 1;
    items.set(key, item);
  }
  return estimateCost({ items: [...items.values()], atMs });
}

/** Defence in depth: the audience query already narrows, but a stale index or a loose query must not widen a campaign. */
const inAudience = (member: AudienceMember, { campaign, now }: DispatchContext): boolean =>
  campaign.accounts.some((a) => a.channel === member.channel && a.accountId === member.accountId) && matchesAudience(member, campaign.audience, now);

/**
 * The member's key and delay in this firing; `not_due` when a local-time member is due in another one,
 * `too_late` when this firing is being dispatched so late that their local time has long passed.
 */
const slotOf = (member: AudienceMember, account: DispatchAccount, ctx: DispatchContext): Slot | 'not_due' | 'too_late' => {
  const { campaign, firingAtMs } = ctx;
  // A zone this runtime does not know must not sink the whole firing: the account's zone is the best guess.
  const zone = member.timeZone !== undefined && isIanaTimeZone(member.timeZone) ? member.timeZone : account.timeZone;
  const recipient = `${member.channel}#${member.accountId}#${member.userId}`;
  const schedule = campaign.schedule;
  if (ctx.preview !== undefined) {
    const sendAtMs = schedule.kind === 'local_time' ? undefined : ctx.preview.sendAtMs;
    return { idempotencyKey: `${ctx.occurrenceId}#${recipient}`, delaySeconds: 0, zone, sendAtMs };
  }
  if (schedule.kind !== 'local_time') return { idempotencyKey: `${ctx.occurrenceId}#${recipient}`, delaySeconds: 0, zone, sendAtMs: ctx.now };
  const target = targetInFiring({ localTime: schedule.at, timeZone: zone, firingAtMs, firingIntervalMs: LOCAL_TIME_FIRING_INTERVAL_MS });
  if (target === undefined) return 'not_due';
  // The weekday of the contact's day, not of UTC: Monday 00:30 in Kolkata is still Sunday in UTC.
  if (schedule.days !== undefined && !schedule.days.some((day) => day === weekdayOf(target.localDate))) return 'not_due';
  // "Good morning" at noon is worse than nothing: a page reached long after its firing skips the contact.
  if (ctx.now - target.atMs > LOCAL_TIME_LATE_AFTER_MS) return 'too_late';
  // Held from when the job is enqueued (now), not from the firing: later pages run later.
  const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((target.atMs - ctx.now) / 1000)));
  // Keyed by the contact's day, not the firing: a contact gets the campaign at most once per local day.
  return { idempotencyKey: `${campaign.id}#${target.localDate}#${recipient}`, delaySeconds, zone, sendAtMs: ctx.now + delaySeconds * 1000 };
};

const weekdayOf = (localDate: string): string | undefined => WEEKDAYS[new Date(`${localDate}T00:00:00Z`).getUTCDay()];

/** Our own holds (quiet hours, frequency cap), the content, then Meta's rules via the policy engine. */
const planMember = (member: AudienceMember, account: DispatchAccount, slot: Slot, ctx: DispatchContext): Step<PlannedSend> => {
  const { campaign } = ctx;
  // No retry here: a recurring campaign's later firing reaches the contact once the quiet hours end.
  if (isQuiet(campaign, slot)) return { ok: false, reason: 'quiet_hours' };
  if (!underFrequencyCap(campaign, member, slot.idempotencyKey, slot.sendAtMs ?? ctx.now)) return { ok: false, reason: 'frequency_cap' };
  const content = contentFor(campaign.content, member.attributes);
  if (!content.ok) return content;
  const intent: SendIntent = {
    channel: member.channel,
    accountId: member.accountId,
    userId: member.userId,
    kind: campaign.kind,
    author: 'bot',
    content: content.value,
    topic: campaign.audience.topic,
    ...(campaign.content.type === 'marketing_message' ? { campaignMessageId: campaign.content.campaignMessageId } : {}),
  };
  const decision = decide(intent, member.contact, account.state, decisionTime(slot, ctx), ctx.policy);
  if (decision.outcome === 'refuse') return { ok: false, reason: decision.reason };
  return {
    ok: true,
    value: { idempotencyKey: slot.idempotencyKey, intent, route: decision.route, pricing: decision.pricing, delaySeconds: slot.delaySeconds },
  };
};

/**
 * When the policy engine decides: a firing decides at its run time, as the sender decides again when
 * the job leaves; a preview decides at the firing it previews, from what is known now.
 */
const decisionTime = (slot: Slot, ctx: DispatchContext): number =>
  ctx.preview !== undefined && slot.sendAtMs !== undefined ? Math.max(ctx.now, slot.sendAtMs) : ctx.now;

const isQuiet = ({ quietHours, schedule }: Campaign, slot: Slot): boolean => {
  if (quietHours === undefined) return false;
  // A local-time preview has no instant, but the send's wall time is the campaign's time in every zone.
  if (slot.sendAtMs === undefined) return schedule.kind === 'local_time' && wallTimeInSpan(schedule.at, quietHours);
  return quietUntil({ ...quietHours, timeZone: slot.zone, atMs: slot.sendAtMs }) !== undefined;
};

/** Whether the contact's cap still allows this send, not counting this send's own earlier reservation. */
export const underFrequencyCap = (campaign: Campaign, member: AudienceMember, key: string, atMs: number): boolean => {
  const cap = campaign.frequencyCap;
  if (campaign.kind !== 'marketing' || cap === undefined) return true;
  const own = ledgerKeyOf(key);
  const sentAtMs = member.marketingLedger.filter((entry) => entry.key !== own).map((entry) => entry.atMs);
  return capAllows({ sentAtMs, max: cap.max, windowMs: cap.perHours * HOUR_MS, atMs }).ok;
};

/** `HH:MM` inside [start, end), the span wrapping midnight when end < start. */
const wallTimeInSpan = (time: string, { start, end }: { start: string; end: string }): boolean =>
  start < end ? time >= start && time < end : time >= start || time < end;

/** The campaign's content filled in for one contact; a parameter with neither attribute nor fallback can't be sent. */
const contentFor = (content: Campaign['content'], attributes: Record<string, string>): Step<SendContent> => {
  if (content.type !== 'template') return { ok: true, value: { type: 'text', text: content.text } };
  const parameters: TemplateParameter[] = [];
  for (const source of content.parameters ?? []) {
    const value = (source.fromAttribute === undefined ? undefined : attributes[source.fromAttribute]) ?? source.value;
    if (value === undefined) return { ok: false, reason: 'missing_parameter' };
    parameters.push({ type: 'text', ...(source.name === undefined ? {} : { name: source.name }), value });
  }
  const { name, language } = templateForLocale(content, attributes.locale);
  // Nothing to fill: a template without variables is sent by name alone.
  if (parameters.length === 0) return { ok: true, value: { type: 'template', name, language } };
  return { ok: true, value: { type: 'template', name, language, components: [{ type: 'body', parameters }] } };
};
