import { digest } from '../event-key';
import type { AccountRef, ContactRef } from '../events';
import { orderOf, type RegisterWrite } from '../state-writes';
import type { ErrorOutcome } from './error-classification';
import type { RouteName } from './policy-types';
import type { SendIntent } from './send-intent';

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

/** Meta's "this person stopped these messages" answers: the token is stopped, as a stop webhook would say. */
const TOKEN_STOPPED = (f: { code?: number; subcode?: number }) => f.code === 2300034 || (f.code === 10 && f.subcode === 1893015);

export const failureFeedback = (
  intent: SendIntent,
  outcome: ErrorOutcome,
  failure: { code?: number; subcode?: number },
  optInToken: string | undefined,
  templateAccount: AccountRef,
  outboxId: string,
  now: number,
): RegisterWrite[] => {
  const order = orderOf(now, `send#${outboxId}`);
  const contact: ContactRef = { channel: intent.channel, accountId: intent.accountId, userId: intent.userId };
  const errorCode = failure.code;
  const reason = `send_error_${errorCode ?? outcome.action}`;
  switch (outcome.action) {
    case 'stop_contact': {
      if (optInToken && TOKEN_STOPPED(failure)) {
        return [
          {
            target: { entity: 'opt_in', contact, token: optInToken },
            register: 'optInStatus',
            order,
            wins: 'later',
            fields: { status: 'stopped', lastChange: 'stop', statusChangedAt: now },
          },
        ];
      }
      const until = outcome.forMs === undefined ? Number.MAX_SAFE_INTEGER : now + outcome.forMs;
      if (errorCode === 131050) {
        return [
          {
            target: { entity: 'contact', contact },
            register: 'marketingPreference',
            order,
            wins: 'later',
            fields: { marketingOptOut: true, marketingPreferenceAt: now, marketingPreferenceCategory: reason },
          },
        ];
      }
      return outcome.marketingOnly
        ? [{ target: { entity: 'contact', contact }, register: 'marketingPause', order, wins: 'later', fields: { marketingPausedUntil: until, marketingPauseReason: reason } }]
        : [{ target: { entity: 'contact', contact }, register: 'unreachable', order, wins: 'later', fields: { unreachableUntil: until, unreachableReason: reason, unreachableAt: now } }];
    }
    case 'pause_template':
      if (intent.content.type !== 'template') return [];
      return [
        {
          target: { entity: 'template', account: templateAccount, name: intent.content.name, language: intent.content.language },
          register: 'templateStatus',
          order,
          wins: 'later',
          fields: { status: errorCode === 132016 ? 'DISABLED' : 'PAUSED', statusReason: reason, statusAt: now },
        },
      ];
    case 'flag_account':
      // Paused for a while rather than for good: once an operator fixes the token, sends resume by themselves.
      return [
        {
          target: { entity: 'account', account: { channel: intent.channel, accountId: intent.accountId } },
          register: 'sendingPause',
          order,
          wins: 'later',
          fields: { sendingPausedUntil: now + ACCOUNT_PAUSE_MS, sendingPauseReason: reason },
        },
      ];
    default:
      return [];
  }
};

export const ACCOUNT_PAUSE_MS = 15 * 60_000;
