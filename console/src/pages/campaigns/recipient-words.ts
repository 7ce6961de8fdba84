/**
 * An occurrence's recipient (GET …/occurrences/{occurrenceKey}/recipients) in a marketer's words:
 * where the person stands in the funnel, and why a send was skipped or failed. Pure, for the unit tests.
 */
import type { components } from '../../api/schema';
import { FOLLOW_UP_STATES, knownReasonText, reasonText } from './reason-text';

// The generated schema, not the client: the unit tests import this file as it is (no DOM).
export type Recipient = components['schemas']['OccurrenceRecipient'];
export type RecipientState = Recipient['states'][number];

/** The states the table filters by, in funnel order: the follow-up states, then the policy's skips. */
export const RECIPIENT_STATES: readonly { state: RecipientState; label: string }[] = [...FOLLOW_UP_STATES, { state: 'skipped', label: 'Skipped by the policy when sent' }];

const WAITING: Partial<Record<Recipient['status'], string>> = {
  queued: 'Waiting to send',
  claimed: 'Being sent',
  unknown: 'Unknown: it may have reached Meta',
};

/** Where the person stands: the state's label, "Converted" past the funnel's end, or where the send is. */
export const standing = (r: Recipient): string => {
  const state = r.states[0];
  if (state !== undefined) return RECIPIENT_STATES.find((s) => s.state === state)?.label ?? state;
  if (r.reached.includes('converted')) return 'Converted';
  return WAITING[r.status] ?? r.status;
};

/** Why: the policy's reason as a sentence, or Meta's error with its title and code; nothing for a send that went. */
export const recipientReason = (r: Recipient): string => {
  if (r.failure) {
    const error = `${r.failure.title ?? 'Meta error'}${r.failure.code === null ? '' : ` (${r.failure.code})`}`;
    return r.states.includes('limited_by_meta') ? `Meta’s marketing limit, retry once it has passed: ${error}` : error;
  }
  if (r.reason === null) return r.status === 'failed' ? 'Meta refused or failed it' : '';
  return knownReasonText(r.reason) ?? r.detail ?? reasonText(r.reason);
};

/** The milestones reached, in funnel order: "delivered → read → clicked". */
export const reachedText = (r: Recipient): string => r.reached.join(' → ') || '–';
