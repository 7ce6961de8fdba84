import { createHmac } from 'node:crypto';
import type { GraphFailure } from '../../domain/send/error-classification';
import { graphErrorTitle } from '../../domain/send/failure-title';
import type { AccessTokens } from '../../ports/access-tokens';
import type { GraphApi, GraphRequest, GraphResult, ThreadControlApi, ThreadControlRequest, ThreadControlResult } from '../../ports/graph-api';

export interface GraphApiClientOptions {
  /** `https://graph.facebook.com`, or the simulator's URL locally. */
  baseUrl: string;
  /** e.g. `v25.0`. */
  version: string;
  tokens: AccessTokens;
  /** When set, every call carries `appsecret_proof` (with "Require App Secret" on, a leaked token alone is useless). */
  appSecret?: () => Promise<string | undefined>;
  /** Per call; Meta answers in well under a second, so a hung call is cut after this. */
  timeoutMs?: number;
}

type MetaErrorBody = { error?: { code?: unknown; error_subcode?: unknown; message?: unknown; type?: unknown; fbtrace_id?: unknown } };
type MetaSuccessBody = { message_id?: unknown; messages?: { id?: unknown; message_status?: unknown }[]; marketing_message_tracking_id?: unknown };

/**
 * Graph API sends and thread-control calls over Node's fetch (undici keeps connections alive). It
 * never retries by itself: whether a failure is safe to retry is the error classifier's decision.
 */
export class GraphApiClient implements GraphApi, ThreadControlApi {
  constructor(private readonly options: GraphApiClientOptions) {}

  async send(request: GraphRequest): Promise<GraphResult> {
    const answer = await this.post(request);
    if (!answer.ok) return answer;
    const success = answer.body as MetaSuccessBody;
    const id = success.message_id ?? success.messages?.[0]?.id ?? success.marketing_message_tracking_id;
    if (typeof id === 'string') {
      const status = success.messages?.[0]?.message_status;
      return { ok: true, messageId: id, ...(typeof status === 'string' ? { status } : {}) };
    }
    return { ok: false, failure: { channel: request.channel, httpStatus: answer.httpStatus, requestSent: true }, message: 'success without a message id' };
  }

  /** `pass_thread_control` / `take_thread_control` on the Page or Instagram account; Meta answers `{ success: true }`. */
  async threadControl(request: ThreadControlRequest): Promise<ThreadControlResult> {
    const answer = await this.post(threadControlCall(request));
    if (!answer.ok) return answer;
    if ((answer.body as { success?: unknown }).success === true) return { ok: true };
    return { ok: false, failure: { channel: request.channel, httpStatus: answer.httpStatus, requestSent: true }, message: 'answered without success: true' };
  }

  /** One POST with the account's token: Meta's answer body on a 2xx, the failure as the error classifier reads it otherwise. */
  private async post(request: GraphRequest): Promise<{ ok: true; httpStatus: number; body: unknown } | { ok: false; failure: GraphFailure; message?: string }> {
    let token: string;
    let secret: string | undefined;
    try {
      token = await this.options.tokens.tokenFor({ channel: request.channel, accountId: request.accountId });
      secret = await this.options.appSecret?.();
    } catch (error) {
      // Nothing left this process: safe to retry once the secret is in place.
      return { ok: false, failure: { channel: request.channel, transport: 'connection_refused', requestSent: false }, message: `credentials unavailable: ${(error as Error).message}` };
    }
    const proof = secret ? `?appsecret_proof=${createHmac('sha256', secret).update(token).digest('hex')}` : '';
    const url = `${this.options.baseUrl}/${this.options.version}/${request.path}${proof}`;
    const failure = (f: Omit<GraphFailure, 'channel'>) => ({ ok: false as const, failure: { channel: request.channel, ...f } });
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      return failure(transportFailure(error));
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The answer started but broke off: Meta may have accepted the message.
      return failure({ ...transportFailure(error), httpStatus: response.status, requestSent: true });
    }
    const body = parseJson(text);
    if (response.ok) return { ok: true, httpStatus: response.status, body };
    const error = (body as MetaErrorBody).error;
    const title = graphErrorTitle(typeof error?.message === 'string' ? error.message : undefined);
    return {
      ok: false,
      failure: {
        channel: request.channel,
        httpStatus: response.status,
        code: typeof error?.code === 'number' ? error.code : undefined,
        subcode: typeof error?.error_subcode === 'number' ? error.error_subcode : undefined,
        ...(title === undefined ? {} : { title }),
        requestSent: true,
      },
      message: errorMessage(error),
    };
  }
}

/** The Graph call of a thread-control step (messenger-platform.md §2.9). */
const threadControlCall = (request: ThreadControlRequest): GraphRequest => {
  const recipient = { id: request.userId };
  const metadata = request.metadata === undefined ? {} : { metadata: request.metadata };
  return request.action === 'pass'
    ? { channel: request.channel, accountId: request.accountId, path: `${request.accountId}/pass_thread_control`, body: { recipient, target_app_id: request.targetAppId, ...metadata } }
    : { channel: request.channel, accountId: request.accountId, path: `${request.accountId}/take_thread_control`, body: { recipient, ...metadata } };
};

/** Meta's message for the logs, with the error type and the fbtrace_id Meta support asks for. */
const errorMessage = (error: MetaErrorBody['error']): string | undefined => {
  const text = typeof error?.message === 'string' ? error.message.slice(0, 300) : undefined;
  const tags = [
    typeof error?.type === 'string' ? `type ${error.type.slice(0, 64)}` : undefined,
    typeof error?.fbtrace_id === 'string' ? `fbtrace_id ${error.fbtrace_id.slice(0, 64)}` : undefined,
  ].filter((tag): tag is string => tag !== undefined);
  if (tags.length === 0) return text;
  return `${text ?? 'Graph API error'} (${tags.join(', ')})`;
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
};

/** Refused connections never reached Meta; timeouts and resets after connecting may have. */
const transportFailure = (error: unknown): Omit<GraphFailure, 'channel'> => {
  // By shape, not `instanceof Error`: fetch's errors (a DOMException on timeout) may come from another
  // realm (Jest's vm context, for one), where instanceof fails and a refusal would read as "maybe sent".
  const { name, cause } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; cause?: unknown };
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  if (name === 'TimeoutError' || name === 'AbortError') return { transport: 'timeout', requestSent: true };
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND') return { transport: 'connection_refused', requestSent: false };
  return { transport: 'connection_reset', requestSent: true };
};
