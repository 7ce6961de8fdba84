import { ERROR_TABLE } from '../send/error-table';
import type { Milestone } from '../../ports/funnel-milestones';

/**
 * The failures that are Meta's marketing limits rather than the message's fault: WhatsApp's
 * per-person marketing limit (131049) and Messenger's marketing message limits (minimum delay,
 * gap control, frequency cap, recipient unavailable): every code the error table stops a contact's
 * marketing for a while with a `marketing_…` limit reason.
 */
const LIMIT_REASONS = new Set(['marketing_limit', 'marketing_min_delay', 'marketing_gap_control', 'marketing_frequency_cap', 'marketing_recipient_unavailable']);
export const LIMITED_CODES: ReadonlySet<number> = new Set(
  ERROR_TABLE.filter((row) => row.outcome.action === 'stop_contact' && LIMIT_REASONS.has(row.outcome.reason)).map((row) => row.code),
);

/**
 * The funnel milestones a status flags on its outbox record (set only where absent, in the status's
 * own write): a read message was delivered, so `read` (and `played`) flags `delivered` too and a
 * read that overtakes its delivery counts both; a failure is `limited` on one of Meta's marketing
 * limits, `failed` otherwise. `sent` flags nothing. `billed` has no flag of its own: it comes with
 * `delivered` (Meta charges a message when it is delivered).
 */
export const statusFlags = (status: string, errorCode: number | undefined): Milestone[] => {
  switch (status) {
    case 'delivered':
      return ['delivered'];
    case 'read':
    case 'played':
      return ['delivered', 'read'];
    case 'failed':
      return [errorCode !== undefined && LIMITED_CODES.has(errorCode) ? 'limited' : 'failed'];
    default:
      return [];
  }
};
