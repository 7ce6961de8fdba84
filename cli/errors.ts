/**
 * What the CLI tells a person when something goes wrong: a sentence that says what to do, and an
 * exit code a script can test. Never a stack trace.
 *
 *   0  done
 *   1  the stack refused or failed the request (4xx, 5xx), or followed work ended badly or not in time
 *   2  wrong usage: an unknown command or option, a missing argument, an unreadable file
 *   3  no afterchat reached at the URL, or no AWS credentials to sign for it
 */
export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** Further lines under the message: each issue, each fact. */
    readonly lines: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** The stack answered with a refusal or a failure: its own words, each issue on a line. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
    hint?: string,
  ) {
    super(`${what}: ${status} ${errorText(body)}`, EXIT.refused, [...issueLines(body), ...(hint === undefined ? [] : [hint])]);
    this.name = 'ApiError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const errorText = (body: unknown): string => {
  if (typeof body === 'string') return body.trim() || '(empty answer)';
  if (!isRecord(body)) return JSON.stringify(body);
  const { error, message } = body;
  if (typeof error === 'string') return error;
  // A template sync Meta broke off answers 502 with the sync's result and its error beside it.
  if (isRecord(error) && typeof error.message === 'string') return error.message;
  if (typeof message === 'string') return message;
  return JSON.stringify(body);
};

/** `detail` as `path: message` lines (the admin API's field issues), and any other fact beside `error`. */
const issueLines = (body: unknown): string[] => {
  if (!isRecord(body)) return [];
  const lines: string[] = [];
  const { detail } = body;
  const facts = Object.entries(body).filter(([key]) => !['detail', 'error', 'message'].includes(key));
  if (Array.isArray(detail)) {
    for (const issue of detail) {
      lines.push(isRecord(issue) && typeof issue.message === 'string' ? `${typeof issue.path === 'string' && issue.path !== '' ? `${issue.path}: ` : ''}${issue.message}` : JSON.stringify(issue));
    }
  } else if (isRecord(detail)) {
    for (const [key, value] of Object.entries(detail)) lines.push(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  } else if (detail !== undefined) lines.push(JSON.stringify(detail));
  for (const [key, value] of facts) lines.push(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return lines;
};

/** The answer, or undefined when the stack says there is no such thing (404). */
export const unlessNotFound = async <T>(call: Promise<T>): Promise<T | undefined> => {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
};
