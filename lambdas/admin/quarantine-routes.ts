import { errorJson, type HttpResult, json } from '../http/responses';
import { InvalidQuarantineCursor, type QuarantinedItem } from '../ports/quarantine';
import type { AdminDeps, Route } from './admin-api';

/**
 * `GET /admin/quarantine?limit=20&cursor=…`: webhook items set aside (README "Quarantine"), newest
 * first, `limit` 1–100, `cursor` from the previous page while more follow.
 */
export const quarantineRoutes: [string, RegExp, Route][] = [['GET', /^\/admin\/quarantine$/, listQuarantine]];

async function listQuarantine(deps: AdminDeps, _params: string[], event: Parameters<Route>[2]): Promise<HttpResult> {
  if (!deps.quarantine) return errorJson(503, 'quarantine is not configured for this admin API');
  const { limit: rawLimit, cursor } = event.queryStringParameters ?? {};
  const limit = rawLimit === undefined ? 20 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return errorJson(400, 'limit must be an integer from 1 to 100', { limit: rawLimit });
  try {
    const page = await deps.quarantine.list({ limit, now: deps.clock(), ...(cursor === undefined ? {} : { cursor }) });
    return json(200, { items: page.items.map(quarantineView), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) });
  } catch (error) {
    if (error instanceof InvalidQuarantineCursor) return errorJson(400, error.message);
    throw error;
  }
}

/** The item as JSON when it was kept whole; its cut text (flagged) otherwise. */
const quarantineView = ({ item, itemTruncated, receivedAt, expiresAt, ...rest }: QuarantinedItem) => ({
  ...rest,
  receivedAt: new Date(receivedAt).toISOString(),
  expiresAt: new Date(expiresAt).toISOString(),
  item: itemTruncated ? item : (JSON.parse(item) as unknown),
  itemTruncated,
});
