import { digest } from '../event-key';
import type { AccountRef, ContactRef } from '../events';
import { orderOf, type RegisterWrite } from '../state-writes';
import type { ErrorOutcome } from './error-classification';
import { countryOfPhone } from './phone-country';
import type { RouteName } from './policy-types';
import type { SendIntent } from './send-intent';

/** How long an account-wide refusal (flag_account) holds the account's sends before they are tried again. */
export const ACCOUNT_PAUSE_MS = 15 * 60_000;

/**
 * What a send teaches afterchat's state, as register writes ordered at the send time: opt-in
 * cadence, opt-in requests, and what Meta's errors say about the contact, the template or the account.
 */
export const sentFeedback = (intent: SendIntent, route: RouteName, optInToken: string | undefined, outboxId: string, now: number): RegisterWrite[] => {
  const order = orderOf(now, `send#${outboxId}`);
  const contact: ContactRef = { channel: intent.channel, accountId: intent.accountId, userId: intent.userId };
  const writes: RegisterWrite[] = [];
  if (optInToken && (route === 'messenger.marketing_message' || route === 'messenger.recurring_notification')) {
    writes.push({ target: { entity: 'opt_in', contact, token: optInToken }, register: 'lastSent', order, wins: 'later', fields: { lastSentAt: now } });
  }
  if (intent.content.type === 'opt_in_request') {
    const register = `optInRequest_${digest(intent.content.title)}`;
    writes.push({
      target: { entity: 'contact', contact },
      register,
      order,
      wins: 'later',
      fields: { [register]: JSON.stringify({ title: intent.content.title, at: now }) },
    });
  }
  return writes;
};

/**
 * One error Meta reported, whether it answered the send call with it or reported it later (a
 * WhatsApp `failed` status, a value-level error): the same facts about the same person, template
 * and account, so both paths write the same state.
 */
export interface ErrorReport {
  outcome: ErrorOutcome;
  code?: number;
  subcode?: number;
  /** The account the message was sent from (Page, Instagram account, phone_number_id). */
  account: AccountRef;
  /** Who the error is about; absent when Meta's report names nobody (value-level errors). */
  contact?: ContactRef;
  /** The template the message used, on the account that holds it (WhatsApp: the WABA), when known. */
  template?: { account: AccountRef; name: string; language: string };
  /** The Messenger opt-in token the message went out on, when known. */
  optInToken?: string;
  /** Meta's time for the error (the send's time, or the status webhook's timestamp). */
  at: number;
  /** The register order the writes carry: the same report always yields the same writes. */
  order: string;
}

/** Meta's "this person stopped these messages" answers: the token is stopped, as a stop webhook would say. */
const tokenStopped = (r: ErrorReport): boolean => r.code === 2300034 || (r.code === 10 && r.subcode === 1893015);

/** The register writes an error's outcome implies (none for retries, drops and unknowns). */
export const errorFeedback = (r: ErrorReport): RegisterWrite[] => {
  const { outcome, order, at } = r;
  const reason = `send_error_${r.code ?? outcome.action}`;
  switch (outcome.action) {
    case 'stop_contact': {
      if (r.contact === undefined) return [];
      const contact = { entity: 'contact' as const, contact: r.contact };
      if (r.optInToken && tokenStopped(r)) {
        return [
          {
            target: { entity: 'opt_in', contact: r.contact, token: r.optInToken },
            register: 'optInStatus',
            order,
            wins: 'later',
            fields: { status: 'stopped', lastChange: 'stop', statusChangedAt: at },
          },
        ];
      }
      if (r.code === 131050) {
        // The same register as the `user_preferences` webhook: a later `resume` clears it, an earlier one doesn't.
        return [
          { target: contact, register: 'marketingPreference', order, wins: 'later', fields: { marketingOptOut: true, marketingPreferenceAt: at, marketingPreferenceCategory: reason } },
        ];
      }
      const until = outcome.forMs === undefined ? Number.MAX_SAFE_INTEGER : at + outcome.forMs;
      return outcome.marketingOnly
        ? [{ target: contact, register: 'marketingPause', order, wins: 'later', fields: { marketingPausedUntil: until, marketingPauseReason: reason } }]
        : [{ target: contact, register: 'unreachable', order, wins: 'later', fields: { unreachableUntil: until, unreachableReason: reason, unreachableAt: at } }];
    }
    case 'pause_template':
      if (r.template === undefined) return [];
      return [
        {
          target: { entity: 'template', ...r.template },
          register: 'templateStatus',
          order,
          wins: 'later',
          fields: { status: r.code === 132016 ? 'DISABLED' : 'PAUSED', statusReason: reason, statusAt: at },
        },
      ];
    case 'flag_account':
      // Paused for a while rather than for good: once an operator fixes the cause, sends resume by themselves.
      return [
        {
          target: { entity: 'account', account: r.account },
          register: 'sendingPause',
          order,
          wins: 'later',
          fields: { sendingPausedUntil: at + ACCOUNT_PAUSE_MS, sendingPauseReason: outcome.reason, sendingPauseCode: r.code },
        },
      ];
    case 'restrict_country': {
      // The country of the person's number; a BSUID alone names no country, so nothing can be held.
      const country = r.contact?.channel === 'whatsapp' && /^\+?\d+$/.test(r.contact.userId) ? countryOfPhone(r.contact.userId) : undefined;
      if (country === undefined) return [];
      const register = `countryRestriction_${country}`;
      return [{ target: { entity: 'account', account: r.account }, register, order, wins: 'later', fields: { [register]: at + outcome.forMs } }];
    }
    case 'reroute': {
      // One register per door, on the sending number: the policy engine stops using that door until then.
      const until = at + outcome.forMs;
      const [register, fields] =
        outcome.door === 'marketing_messages_api'
          ? ['marketingMessagesPause', { marketingMessagesPausedUntil: until, marketingMessagesPauseCode: r.code }]
          : ['cloudApiMarketingClosed', { cloudApiMarketingClosedUntil: until, cloudApiMarketingClosedCode: r.code }];
      return [{ target: { entity: 'account', account: r.account }, register, order, wins: 'later', fields }];
    }
    default:
      return [];
  }
};

/** What a failed send call teaches the state: the error as the sender saw it. */
export const failureFeedback = (
  intent: SendIntent,
  outcome: ErrorOutcome,
  failure: { code?: number; subcode?: number },
  optInToken: string | undefined,
  templateAccount: AccountRef,
  outboxId: string,
  now: number,
): RegisterWrite[] =>
  errorFeedback({
    outcome,
    code: failure.code,
    subcode: failure.subcode,
    account: { channel: intent.channel, accountId: intent.accountId },
    contact: { channel: intent.channel, accountId: intent.accountId, userId: intent.userId },
    template: intent.content.type === 'template' ? { account: templateAccount, name: intent.content.name, language: intent.content.language } : undefined,
    optInToken,
    at: now,
    order: orderOf(now, `send#${outboxId}`),
  });
