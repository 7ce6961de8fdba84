import type { Channel } from '../events';

/** A failed Graph API call as the sender saw it. */
export interface GraphFailure {
  channel: Channel;
  /** Absent when no HTTP answer came back. */
  httpStatus?: number;
  code?: number;
  subcode?: number;
  /** Meta's title for `code` (its error message without the `(#code)` prefix): what a failed status webhook would call it. */
  title?: string;
  /** Transport-level failure: the request may or may not have reached Meta. */
  transport?: 'timeout' | 'connection_reset' | 'connection_refused';
  /** Did the request bytes leave this process? (A timeout after sending is ambiguous.) */
  requestSent: boolean;
}

/** WhatsApp's two doors for MARKETING templates: the Marketing Messages API, and Cloud API `/messages`. */
export type MarketingDoor = 'marketing_messages_api' | 'cloud_api_marketing';

/** What to do about it. */
export type ErrorOutcome =
  /** Try again later; `scope` says what to slow down (this job, the recipient pair, the whole account). */
  | { action: 'retry'; reason: string; retryAfterMs: number; scope: 'job' | 'recipient' | 'account' }
  /** Give up on this message; the request itself is wrong or unsupported. */
  | { action: 'drop'; reason: string }
  /** Stop sending to this person (marketing only when `marketingOnly`) until `untilMs` (or for good). */
  | { action: 'stop_contact'; reason: string; marketingOnly: boolean; forMs?: number }
  /** The template is paused/disabled: stop using it. */
  | { action: 'pause_template'; reason: string }
  /**
   * Meta refused the door, not the message (a WhatsApp marketing template on the endpoint Meta won't
   * take it on): that door stays shut for the account for `forMs`, and the job is sent again after
   * `retryAfterMs` through whichever door the policy engine picks then (or refused with its reason).
   */
  /** The account may not message people in the recipient's country for now: hold that country only. */
  | { action: 'restrict_country'; reason: string; forMs: number }
  | { action: 'reroute'; reason: string; door: MarketingDoor; forMs: number; retryAfterMs: number }
  /** The account can't send (token, permissions, policy block): stop and alert. */
  | { action: 'flag_account'; reason: string }
  /** It may have been sent: never resend (marketing must be at most once); reconcile from webhooks. */
  | { action: 'unknown'; reason: string };
