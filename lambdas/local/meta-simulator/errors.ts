import type * as z from 'zod';

/** A Graph API error as the simulator answers it. */
export interface GraphError {
  httpStatus: number;
  code: number;
  message: string;
  subcode?: number;
  /** WhatsApp puts `{ messaging_product, details }` here; clients should branch on `code` and `details`. */
  errorData?: Record<string, unknown>;
  isTransient?: boolean;
}

/** Meta answers almost every Graph error with HTTP 400, whatever the code; only server faults are 5xx. */
export const graphError = (code: number, message: string, extra: Partial<Omit<GraphError, 'code' | 'message'>> = {}): GraphError => ({
  httpStatus: 400,
  code,
  message,
  ...extra,
});

export const errorBody = (error: GraphError, fbtraceId: string) => ({
  error: {
    message: error.message,
    type: 'OAuthException',
    code: error.code,
    error_subcode: error.subcode,
    error_data: error.errorData,
    is_transient: error.isTransient,
    fbtrace_id: fbtraceId,
  },
});

export const whatsappError = (code: number, title: string, details: string): GraphError =>
  graphError(code, `(#${code}) ${title}`, { errorData: { messaging_product: 'whatsapp', details } });

export const invalidParameter = (detail: string): GraphError => graphError(100, `(#100) ${detail}`);

/** 100 naming the first offending field, the way Meta names one parameter per error. */
export const invalidRequest = (error: z.ZodError, whatsapp = false): GraphError => {
  const issue = error.issues[0];
  const param = issue?.path.map(String).join('.') || 'body';
  const detail = `Param ${param}: ${issue?.message ?? 'invalid'}`;
  return whatsapp ? whatsappError(100, 'Invalid parameter', detail) : invalidParameter(detail);
};

export const invalidToken = (): GraphError => graphError(190, 'Invalid OAuth access token');

export const unknownPath = (path: string): GraphError => graphError(2500, `Unknown path components: ${path}`);

export const unsupportedMethod = (method: string): GraphError => graphError(100, `Unsupported ${method.toLowerCase()} request.`);

export const deprecatedVersion = (oldest: string): GraphError =>
  graphError(2635, `You are calling a deprecated version of the Graph API. Please update to the latest version: ${oldest}.`);

export const serverError = (): GraphError =>
  graphError(2, 'An unexpected error has occurred. Please retry your request later.', { httpStatus: 500, isTransient: true });

export const whatsappThroughput = (): GraphError => whatsappError(130429, 'Rate limit hit', 'Cloud API message throughput has been reached.');

export const pageThrottled = (): GraphError => graphError(613, '(#613) Calls to this api have exceeded the rate limit.');
