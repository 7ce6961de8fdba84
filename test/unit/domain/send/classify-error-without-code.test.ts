/** Interface under test: classifyGraphError() when Meta's answer carries no error code — by HTTP status, or by whether the request left. */
import { classifyGraphError } from '../../../../lambdas/domain/send/classify-error';

describe('a failed call with no Meta error code', () => {
  it('retries a server error from HTTP 500 up, the job only, after 30 s, recording the status', () => {
    for (const httpStatus of [500, 503]) {
      expect(classifyGraphError({ channel: 'messenger', httpStatus, requestSent: true })).toEqual({
        action: 'retry',
        reason: `http_${httpStatus}`,
        retryAfterMs: 30_000,
        scope: 'job',
      });
    }
  });

  it('drops anything below 500 but 429, recording the status', () => {
    expect(classifyGraphError({ channel: 'messenger', httpStatus: 499, requestSent: true })).toEqual({ action: 'drop', reason: 'unclassified_http_499' });
  });

  it('slows the whole account for a minute on HTTP 429', () => {
    expect(classifyGraphError({ channel: 'whatsapp', httpStatus: 429, requestSent: true })).toEqual({
      action: 'retry',
      reason: 'http_429',
      retryAfterMs: 60_000,
      scope: 'account',
    });
  });

  it('with no answer and no transport error named, records "no_answer": never resent once the request left', () => {
    expect(classifyGraphError({ channel: 'whatsapp', requestSent: true })).toEqual({ action: 'unknown', reason: 'no_answer_after_send' });
    expect(classifyGraphError({ channel: 'whatsapp', requestSent: false })).toEqual({
      action: 'retry',
      reason: 'no_answer_before_send',
      retryAfterMs: 5_000,
      scope: 'job',
    });
  });
});
