import { errorJson, json } from '../http/responses';
import { TemplateSyncRefused } from '../templates/sync-templates';
import type { AdminRouteImpls, Handler } from './route-handler';

/**
 * `POST /admin/templates/{channel}/{accountId}/sync`: reads the account's templates from Meta now and
 * answers with the reconciled counts. WhatsApp: the WABA id (or one of its registered numbers);
 * Messenger: the Page id.
 */
const syncTemplates: Handler<'POST /admin/templates/{channel}/{accountId}/sync'> = async (deps, { path: { channel, accountId } }) => {
  if (!deps.templateSync) return errorJson(503, 'template sync is not configured for this admin API');
  try {
    const { error, ...result } = await deps.templateSync.syncAccount({ channel, accountId });
    if (error === undefined) return { status: 200, body: result };
    // Meta refused or broke off: what was read is reconciled all the same, and the answer says so.
    const { message, ...failure } = error;
    return json(502, { error: message, failure, ...result });
  } catch (error) {
    if (!(error instanceof TemplateSyncRefused)) throw error;
    const { reason, detail } = error.refusal;
    return errorJson(reason === 'unknown_account' ? 404 : 400, reason, { channel, accountId, detail });
  }
};

export const templateRoutes = {
  'POST /admin/templates/{channel}/{accountId}/sync': { handle: syncTemplates },
} satisfies Partial<AdminRouteImpls>;
