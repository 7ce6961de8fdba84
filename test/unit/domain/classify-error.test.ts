/** Interface under test: classifyGraphError(failure), what a sender does about a failed Graph API call, and its error table. */
import fc from 'fast-check';
import type { Channel } from '../../../lambdas/domain/events';
import { classifyGraphError } from '../../../lambdas/domain/send/classify-error';
import type { GraphFailure } from '../../../lambdas/domain/send/error-classification';
import { ERROR_TABLE } from '../../../lambdas/domain/send/error-table';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const failure = (channel: Channel, code?: number, subcode?: number): GraphFailure => ({
  channel,
  httpStatus: 400,
  code,
  subcode,
  requestSent: true,
});

describe('classifyGraphError', () => {
  describe('retries what Meta did not take', () => {
    it.each<[Channel, number, number | undefined, 'job' | 'recipient' | 'account']>([
      ['messenger', 1, undefined, 'job'],
      ['messenger', 1, 99, 'job'],
      ['whatsapp', 2, undefined, 'job'],
      ['whatsapp', 4, undefined, 'account'],
      ['messenger', 17, undefined, 'account'],
      ['messenger', 32, undefined, 'account'],
      ['messenger', 613, undefined, 'account'],
      ['instagram', 613, 2534040, 'account'],
      ['messenger', 80001, undefined, 'account'],
      ['messenger', 80006, undefined, 'account'],
      ['whatsapp', 80007, undefined, 'account'],
      ['whatsapp', 130429, undefined, 'account'],
      ['whatsapp', 131000, undefined, 'job'],
      ['whatsapp', 131016, undefined, 'job'],
      ['whatsapp', 131057, undefined, 'account'],
      ['whatsapp', 2494100, undefined, 'account'],
      ['messenger', 2018321, undefined, 'recipient'],
    ])('%s code %s/%s, slowing down the %s', (channel, code, subcode, scope) => {
      expect(classifyGraphError(failure(channel, code, subcode))).toMatchObject({ action: 'retry', scope });
    });

    it('backs off the pair, not the number, on the WhatsApp pair rate limit', () => {
      expect(classifyGraphError(failure('whatsapp', 131056))).toEqual({ action: 'retry', reason: 'pair_rate_limit', retryAfterMs: 6_000, scope: 'recipient' });
    });

    it('waits as long as Meta says for syncing templates and "try again in 30 minutes"', () => {
      expect(classifyGraphError(failure('whatsapp', 134101))).toMatchObject({ action: 'retry', retryAfterMs: 10 * MINUTE });
      for (const code of [2300055, 2300061, 2300062]) {
        expect(classifyGraphError(failure('messenger', code))).toMatchObject({ action: 'retry', retryAfterMs: 30 * MINUTE });
      }
    });

    it('retries a 5xx without an error body: Meta answered, so it did not take the message', () => {
      expect(classifyGraphError({ channel: 'whatsapp', httpStatus: 503, requestSent: true })).toMatchObject({ action: 'retry', scope: 'job' });
      expect(classifyGraphError({ channel: 'messenger', httpStatus: 429, requestSent: true })).toMatchObject({ action: 'retry', scope: 'account' });
    });
  });

  describe('never resends what may have gone out', () => {
    it('retries a timeout or refused connection before the request left', () => {
      expect(classifyGraphError({ channel: 'whatsapp', transport: 'timeout', requestSent: false })).toMatchObject({ action: 'retry' });
      expect(classifyGraphError({ channel: 'messenger', transport: 'connection_refused', requestSent: false })).toMatchObject({ action: 'retry' });
    });

    it('marks a timeout or reset after sending as unknown, to reconcile from webhooks', () => {
      expect(classifyGraphError({ channel: 'whatsapp', transport: 'timeout', requestSent: true })).toEqual({
        action: 'unknown',
        reason: 'timeout_after_send',
      });
      expect(classifyGraphError({ channel: 'messenger', transport: 'connection_reset', requestSent: true })).toMatchObject({ action: 'unknown' });
    });
  });

  describe('drops requests that are wrong', () => {
    it.each<[Channel, number, number | undefined, string]>([
      ['messenger', 100, undefined, 'invalid_parameter'],
      ['messenger', 100, 12345, 'invalid_parameter'],
      ['whatsapp', 100, undefined, 'invalid_parameter'],
      ['messenger', 100, 2018001, 'no_matching_user'],
      ['instagram', 100, 2018047, 'media_error'],
      ['whatsapp', 131008, undefined, 'invalid_request'],
      ['whatsapp', 131009, undefined, 'invalid_request'],
      ['whatsapp', 132000, undefined, 'invalid_request'],
      ['whatsapp', 132005, undefined, 'invalid_request'],
      ['whatsapp', 132012, undefined, 'invalid_request'],
      ['whatsapp', 132018, undefined, 'invalid_request'],
      ['whatsapp', 135000, undefined, 'invalid_request'],
      ['whatsapp', 131051, undefined, 'unsupported_message_type'],
      ['whatsapp', 131053, undefined, 'media_upload_failed'],
      ['messenger', 613, 1893016, 'opt_in_request_duplicate'],
    ])('%s code %s/%s as %s', (channel, code, subcode, reason) => {
      expect(classifyGraphError(failure(channel, code, subcode))).toEqual({ action: 'drop', reason });
    });

    it('drops sends Meta saw outside the window with the reason window_closed', () => {
      expect(classifyGraphError(failure('whatsapp', 131047))).toEqual({ action: 'drop', reason: 'window_closed' });
      expect(classifyGraphError(failure('messenger', 10, 2018278))).toEqual({ action: 'drop', reason: 'window_closed' });
      expect(classifyGraphError(failure('instagram', 10, 2534022))).toEqual({ action: 'drop', reason: 'window_closed' });
    });

    it('drops codes it does not know instead of retrying them forever', () => {
      expect(classifyGraphError(failure('whatsapp', 999_999))).toEqual({ action: 'drop', reason: 'unclassified_999999' });
      expect(classifyGraphError(failure('messenger', 131047))).toEqual({ action: 'drop', reason: 'unclassified_131047' });
      expect(classifyGraphError({ channel: 'messenger', httpStatus: 404, requestSent: true })).toEqual({ action: 'drop', reason: 'unclassified_http_404' });
    });
  });

  describe('stops sending to people who cannot or will not receive', () => {
    it.each<[Channel, number, number | undefined]>([
      ['messenger', 551, undefined],
      ['messenger', 551, 1545041],
      ['instagram', 200, 1545041],
      ['messenger', 10, 2018108],
      ['whatsapp', 131026, undefined],
      ['whatsapp', 130403, undefined],
    ])('%s code %s/%s: everything', (channel, code, subcode) => {
      expect(classifyGraphError(failure(channel, code, subcode))).toMatchObject({ action: 'stop_contact', marketingOnly: false });
    });

    it('stops only marketing, for good, when the person opted out', () => {
      expect(classifyGraphError(failure('whatsapp', 131050))).toEqual({ action: 'stop_contact', reason: 'marketing_opted_out', marketingOnly: true });
      expect(classifyGraphError(failure('messenger', 2300034))).toEqual({ action: 'stop_contact', reason: 'marketing_opted_out', marketingOnly: true });
      expect(classifyGraphError(failure('messenger', 10, 1893015))).toEqual({ action: 'stop_contact', reason: 'opt_in_stopped', marketingOnly: true });
    });

    it('stops only marketing for 24 h on marketing limits and frequency caps', () => {
      for (const [channel, code] of [
        ['whatsapp', 131049],
        ['messenger', 2300042],
        ['messenger', 2300043],
        ['messenger', 2300044],
      ] as const) {
        expect(classifyGraphError(failure(channel, code))).toMatchObject({ action: 'stop_contact', marketingOnly: true, forMs: DAY });
      }
    });
  });

  it.each([132015, 132016, 132001, 132007])('stops using the template on WhatsApp %s', (code) => {
    expect(classifyGraphError(failure('whatsapp', code))).toMatchObject({ action: 'pause_template' });
  });

  describe('flags the account when it cannot send', () => {
    it.each<[Channel, number, number | undefined]>([
      ['messenger', 190, undefined],
      ['whatsapp', 190, undefined],
      ['whatsapp', 0, undefined],
      ['whatsapp', 3, undefined],
      ['messenger', 10, undefined],
      ['messenger', 10, 4242],
      ['whatsapp', 10, undefined],
      ['messenger', 200, undefined],
      ['whatsapp', 250, undefined],
      ['whatsapp', 368, undefined],
      ['whatsapp', 131031, undefined],
      ['whatsapp', 131042, undefined],
      ['whatsapp', 131045, undefined],
      ['whatsapp', 131048, undefined],
      ['whatsapp', 131064, undefined],
      ['whatsapp', 133010, undefined],
      ['messenger', 10, 1893063],
    ])('%s code %s/%s', (channel, code, subcode) => {
      expect(classifyGraphError(failure(channel, code, subcode))).toMatchObject({ action: 'flag_account' });
    });
  });

  it('never resends a request that may have reached Meta without an answer, and never throws', () => {
    const anyFailure = fc.record({
      channel: fc.constantFrom<Channel>('messenger', 'instagram', 'whatsapp'),
      httpStatus: fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
      code: fc.option(fc.oneof(fc.integer({ min: 0, max: 3_000_000 }), fc.constantFrom(...ERROR_TABLE.map((row) => row.code))), { nil: undefined }),
      subcode: fc.option(fc.integer({ min: 0, max: 3_000_000 }), { nil: undefined }),
      transport: fc.option(fc.constantFrom('timeout', 'connection_reset', 'connection_refused' as const), { nil: undefined }),
      requestSent: fc.boolean(),
    });
    fc.assert(
      fc.property(anyFailure, (f) => {
        const outcome = classifyGraphError(f);
        if (f.code === undefined && f.httpStatus === undefined && f.requestSent) expect(outcome.action).toBe('unknown');
        if (outcome.action === 'retry') expect(outcome.retryAfterMs).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the error table', () => {
  it('names a reference file as the source of every row', () => {
    for (const row of ERROR_TABLE) expect(row.source).toMatch(/(messenger-platform|whatsapp-cloud-api)\.md §\d/);
  });

  it('has one row per channel, code and subcode, each with a note and a snake_case reason', () => {
    const keys = ERROR_TABLE.flatMap((row) => row.channels.map((channel) => `${channel}#${row.code}#${row.subcode ?? ''}`));
    expect(new Set(keys).size).toBe(keys.length);
    for (const row of ERROR_TABLE) {
      expect(row.note.length).toBeGreaterThan(0);
      expect(row.outcome.reason).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });
});
