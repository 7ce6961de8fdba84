import type { Channel } from '../events';
import type { ErrorOutcome, GraphFailure } from './error-classification';
import { ERROR_TABLE } from './error-table';

const key = (channel: Channel, code: number, subcode?: number): string => `${channel}#${code}#${subcode ?? ''}`;

const BY_KEY = new Map<string, ErrorOutcome>(
  ERROR_TABLE.flatMap((row) => row.channels.map((channel) => [key(channel, row.code, row.subcode), row.outcome] as const)),
);

const SERVER_ERROR_RETRY_MS = 30_000;
const THROTTLED_RETRY_MS = 60_000;
const NOT_SENT_RETRY_MS = 5_000;

/**
 * What to do about a failed Graph API call. Meta's error code decides when there is one (a subcode
 * row over the code's row); otherwise the HTTP status; with no answer at all, whether the request
 * left: one that may have reached Meta is never resent, since marketing must go at most once.
 */
export function classifyGraphError(failure: GraphFailure): ErrorOutcome {
  const { channel, code, subcode, httpStatus } = failure;
  if (code !== undefined) {
    const specific = subcode === undefined ? undefined : BY_KEY.get(key(channel, code, subcode));
    return specific ?? BY_KEY.get(key(channel, code)) ?? { action: 'drop', reason: `unclassified_${code}` };
  }
  // Meta answered, so it did not take the message: safe to send again.
  if (httpStatus !== undefined && httpStatus >= 500) return { action: 'retry', reason: `http_${httpStatus}`, retryAfterMs: SERVER_ERROR_RETRY_MS, scope: 'job' };
  if (httpStatus === 429) return { action: 'retry', reason: 'http_429', retryAfterMs: THROTTLED_RETRY_MS, scope: 'account' };
  if (httpStatus !== undefined) return { action: 'drop', reason: `unclassified_http_${httpStatus}` };
  const transport = failure.transport ?? 'no_answer';
  return failure.requestSent
    ? { action: 'unknown', reason: `${transport}_after_send` }
    : { action: 'retry', reason: `${transport}_before_send`, retryAfterMs: NOT_SENT_RETRY_MS, scope: 'job' };
}
