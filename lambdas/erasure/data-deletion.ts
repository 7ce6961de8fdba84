import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Clock } from '../domain/clock';
import { confirmationCodeOf, type DeletionRequest, verifySignedRequest } from '../domain/erasure/signed-request';
import { addCounts, noneErased } from '../domain/erasure/tombstone';
import type { ContactRef } from '../domain/events';
import { errorJson, type HttpResult, json, rawBody } from '../http/responses';
import type { AccountRegistry } from '../ports/account-registry';
import type { DeletionRequestRecord, DeletionRequests } from '../ports/deletion-requests';
import type { ErasureStore } from '../ports/erasure-store';
import type { WebhookSecrets } from '../ports/secrets';
import { erasePerson } from './erase-person';

export interface DataDeletionDeps {
  secrets: Pick<WebhookSecrets, 'appSecrets'>;
  erasure: ErasureStore;
  accounts: Pick<AccountRegistry, 'list' | 'get'>;
  requests: DeletionRequests;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The scheme of the status URL: https behind API Gateway, http on the local stack. */
  scheme?: 'https' | 'http';
}

export const DATA_DELETION_PATH = '/webhooks/meta/data-deletion';
const STATUS_PATH = /^\/webhooks\/meta\/data-deletion\/([0-9a-f]{20})$/;
/** Form bodies Meta posts are a few hundred bytes; anything far larger is no signed request. */
const MAX_BODY_BYTES = 16 * 1024;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Meta's data deletion callback (README "Erasure"): `POST /webhooks/meta/data-deletion` with a
 * form-encoded `signed_request`, verified with the app secret before anything is read from it; a
 * forged or malformed one erases nothing. Meta names the person by their app-scoped id (ASID), which
 * a messaging app never learns: Messenger and Instagram name people by Page- and account-scoped ids
 * (PSID, IGSID), WhatsApp by phone number and BSUID. So it erases the contacts stored under that id
 * on a registered Messenger or Instagram account (only an id the business registered under it
 * itself matches), records the request with the ASID hashed, and answers the status URL and
 * confirmation code Meta shows the person. `GET …/data-deletion/{code}` answers the request's state.
 */
export const createDataDeletionHandler =
  (deps: DataDeletionDeps) =>
  async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
    const method = event.requestContext.http.method;
    const status = STATUS_PATH.exec(event.rawPath);
    if (method === 'GET' && status) return statusOf(deps, status[1] as string);
    if (method === 'POST' && event.rawPath === DATA_DELETION_PATH) return receive(deps, event);
    return errorJson(404, 'no such route');
  };

const receive = async (deps: DataDeletionDeps, event: APIGatewayProxyEventV2): Promise<HttpResult> => {
  const body = rawBody(event);
  if (body.length > MAX_BODY_BYTES) return errorJson(413, 'payload too large');
  const signedRequest = new URLSearchParams(body.toString('utf8')).get('signed_request') ?? undefined;
  let secrets: string[];
  try {
    secrets = await deps.secrets.appSecrets();
  } catch (error) {
    deps.logger.error('app secret unavailable; answering 500 so Meta retries', { errorName: (error as Error).name });
    return errorJson(500, 'configuration unavailable, retry later');
  }
  const check = verifySignedRequest(signedRequest, secrets);
  if (!check.ok) {
    deps.logger.warn('data deletion request refused', { reason: check.reason });
    return check.reason === 'forged' ? errorJson(403, 'invalid signature') : errorJson(400, check.reason === 'algorithm' ? 'unsupported algorithm' : 'malformed signed_request');
  }
  const code = confirmationCodeOf(check.request, sha256);
  const known = await deps.requests.get(code);
  if (known?.state !== 'completed') await erase(deps, check.request, code, known?.receivedAt ?? deps.clock());
  const host = event.requestContext.domainName;
  return json(200, { url: `${deps.scheme ?? 'https'}://${host}${DATA_DELETION_PATH}/${code}`, confirmation_code: code });
};

const erase = async (deps: DataDeletionDeps, request: DeletionRequest, code: string, receivedAt: number): Promise<void> => {
  const record: DeletionRequestRecord = { confirmationCode: code, state: 'in_progress', receivedAt, userHash: sha256(request.userId) };
  await deps.requests.put(record);
  const accounts = (await deps.accounts.list()).filter((a) => a.channel === 'messenger' || a.channel === 'instagram');
  let removed = noneErased();
  let matchedContacts = 0;
  for (const account of accounts) {
    const contact: ContactRef = { channel: account.channel, accountId: account.accountId, userId: request.userId };
    // Only a contact stored under the id is erased: no tombstone for ids afterchat never held.
    if ((await deps.erasure.contactState(contact)) === undefined) continue;
    const result = await erasePerson(deps, contact);
    matchedContacts += 1;
    removed = addCounts(removed, result.removed);
  }
  await deps.requests.put({ ...record, state: 'completed', completedAt: deps.clock(), matchedContacts, removed });
  deps.logger.info('data deletion request completed', { confirmationCode: code, matchedContacts });
};

const statusOf = async (deps: DataDeletionDeps, code: string): Promise<HttpResult> => {
  const record = await deps.requests.get(code);
  if (!record) return errorJson(404, 'no such deletion request');
  return json(200, {
    confirmation_code: record.confirmationCode,
    state: record.state,
    receivedAt: new Date(record.receivedAt).toISOString(),
    ...(record.completedAt === undefined ? {} : { completedAt: new Date(record.completedAt).toISOString() }),
    matchedContacts: record.matchedContacts ?? 0,
    removed: record.removed ?? noneErased(),
    explanation:
      record.state === 'completed'
        ? 'Erased: every contact stored under the Facebook id named in the request, with its sends, message statuses and webhook records. Conversations on Messenger, Instagram or WhatsApp are stored under ids Meta does not link to a Facebook Login id; to have those erased, ask the business.'
        : 'Being erased.',
  });
};
