/**
 * The states an occurrence's recipient listing filters by: the follow-up states (follow-up-state.ts),
 * and `skipped`, the sends the sender held back for a reason of the policy's (their reason says which).
 */
import { FOLLOW_UP_STATES, inFollowUpState, type RecipientOutcome } from './follow-up-state';

export const RECIPIENT_STATES = [...FOLLOW_UP_STATES, 'skipped'] as const;
export type RecipientState = (typeof RECIPIENT_STATES)[number];

export const inRecipientState = (outcome: RecipientOutcome, state: RecipientState): boolean =>
  state === 'skipped' ? outcome.status === 'skipped' : inFollowUpState(outcome, state);
