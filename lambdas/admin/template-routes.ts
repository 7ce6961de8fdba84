import { errorJson, type HttpResult, json } from '../http/responses';
import { TemplateSyncRefused } from '../templates/sync-templates';
import type { AdminDeps, Route } from './admin-api';
import { accountParams, unknownChannel } from './path-params';
import { isChannel } from './views';

/**
 * `POST /admin/templates/{channel}/{accountId}/sync`: reads the account's templates from Meta now and
 * answers with the reconciled counts. WhatsApp: the WABA id (or one of its registered numbers);
 * Messenger: the Page id.
 */
export const templateRoutes: [string, RegExp, Route][] = [['POST', /^\/admin\/templates\/([^/]+)\/([^/]+)\/sync$/, syncTemplates]];

async function syncTemplates(deps: AdminDeps, [rawChannel, rawAccountId]: string[]): Promise<HttpResult> {
  if (!rawChannel || !isChannel(rawChannel)) return unknownChannel(rawChannel, ['messenger', 'whatsapp']);
  const account = accountParams(rawChannel, rawAccountId);
  if (!account.ok) return account.answer;
  const { channel, accountId } = account.value;
  if (!deps.templateSync) return errorJson(503, 'template sync is not configured for this admin API');
  try {
    const result = await deps.templateSync.syncAccount({ channel, accountId });
    // Meta refused or broke off: what was read is reconciled all the same, and the body says so.
    return json(result.error ? 502 : 200, result);
  } catch (error) {
    if (!(error instanceof TemplateSyncRefused)) throw error;
    const { reason, detail } = error.refusal;
    return errorJson(reason === 'unknown_account' ? 404 : 400, reason, { channel, accountId, detail });
  }
}
