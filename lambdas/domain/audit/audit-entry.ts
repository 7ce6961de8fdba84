/**
 * The audit log's pure rules: which admin requests are recorded, how a request is named (its method
 * and the contract's route template), what it targets (its route parameters, a person's ids only
 * hashed), and who made it (the IAM principal API Gateway authenticated).
 */
import { digest } from '../event-key';

/** One admin write, recorded before it runs and settled with its answer's status after. */
export interface AuditEntry {
  /** Unique, and sorts by time: `<at ISO-8601>#<uuid>`. */
  id: string;
  /** Our clock's time of the request, epoch ms. */
  at: number;
  /** The caller's IAM ARN (`requestContext.authorizer.iam.userArn`), or `unauthenticated` (the local stack). */
  principal: string;
  /** The IAM caller id (`AIDA…`, `AROA…:session`), when API Gateway names one. */
  callerId?: string;
  /** The caller's AWS account, when API Gateway names one. */
  callerAccount?: string;
  /** Method and route template: `PUT /admin/accounts/{channel}/{accountId}`. */
  action: string;
  /**
   * What the request names: route parameters (channel, account id, campaign id, …) and, for a send,
   * the intent's account and the outbox id. A user id or message id only as a hash (`userHash`, …).
   */
  target: Record<string, string>;
  /** API Gateway's request id, to find the request in the access logs. */
  requestId?: string;
  /** The answer's HTTP status; absent while the request runs, and for good if the function died in it. */
  status?: number;
  /** When the answer was known, epoch ms. */
  finishedAt?: number;
}

/** Methods that may change something: every request the admin API accepts with one of them is recorded. */
export const AUDITED_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
export const isAudited = (method: string): boolean => AUDITED_METHODS.includes(method.toUpperCase());

/** Parameters shown as given (ids of the business's own things), when they look like ids. */
const CLEAR_PARAMETERS = new Set(['channel', 'accountId', 'campaignId', 'occurrenceKey', 'outboxId', 'importId', 'seq']);
const CLEAR_VALUE = /^[A-Za-z0-9._:-]{1,128}$/;

/** `METHOD /route/{template}`: the route as the admin API's contract names it. */
export const actionOf = (method: string, template: string): string => `${method.toUpperCase()} ${template}`;

/**
 * A target value as recorded: an id of the business's own things as given, anything else (a user or
 * message id, a parameter this module doesn't know, a value that doesn't look like an id) only as
 * `<name>Hash`, the first 16 hex digits of its SHA-256, as event keys hash free text (event-key.ts).
 * The hash lets an admin who knows an id find its entries; it is no secret (a phone number's is
 * found by trying numbers), so the log stays admin-only and expires.
 */
export const targetField = (name: string, value: string): [string, string] =>
  CLEAR_PARAMETERS.has(name) && CLEAR_VALUE.test(value) ? [name, value] : [`${name}Hash`, digest(value)];

/** The target of a request: its route parameters by name, then what its body and answer name (`extra`). */
export const auditTarget = (params: Readonly<Record<string, string>>, extra: Record<string, string | undefined> = {}): Record<string, string> => {
  const target: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const [field, recorded] = targetField(name, value);
    target[field] = recorded;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined || name in target || `${name}Hash` in target) continue;
    const [field, recorded] = targetField(name, value);
    target[field] = recorded;
  }
  return target;
};

/** Who made a request, as API Gateway's IAM authorisation tells the function. */
export interface Principal {
  principal: string;
  callerId?: string;
  callerAccount?: string;
}

export const UNAUTHENTICATED = 'unauthenticated';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;

/**
 * The caller from a request context: an HTTP API (payload 2.0) with IAM authorisation puts it in
 * `authorizer.iam` (`userArn`, `callerId`, `accountId`); a REST API in `identity` (`userArn`,
 * `caller`, `accountId`). Neither: `unauthenticated` (the local stack, which signs nothing).
 */
export const principalOf = (requestContext: unknown): Principal => {
  const context = record(requestContext);
  const iam = record(record(context?.authorizer)?.iam);
  const identity = record(context?.identity);
  const arn = text(iam?.userArn) ?? text(identity?.userArn);
  const callerId = text(iam?.callerId) ?? text(identity?.caller);
  const callerAccount = text(iam?.accountId) ?? text(identity?.accountId);
  return {
    principal: arn ?? (callerId === undefined ? UNAUTHENTICATED : `caller:${callerId}`),
    ...(callerId === undefined ? {} : { callerId }),
    ...(callerAccount === undefined ? {} : { callerAccount }),
  };
};

/** The day partition an entry lives in: `YYYY-MM-DD` (UTC). */
export const auditDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

/** An entry's id: its time (ISO-8601, so ids sort by time) and a unique suffix. */
export const auditId = (at: number, unique: string): string => `${new Date(at).toISOString()}#${unique}`;
