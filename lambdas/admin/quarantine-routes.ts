import { errorJson } from '../http/responses';
import { InvalidQuarantineCursor, type QuarantinedItem } from '../ports/quarantine';
import type { AdminRouteImpls, Handler } from './route-handler';

/**
 * `GET /admin/quarantine?limit=20&cursor=…`: webhook items set aside (README "Quarantine"), newest
 * first, `limit` 1–100, `cursor` from the previous page while more follow.
 */
const listQuarantine: Handler<'GET /admin/quarantine'> = async (deps, { query: { limit, cursor } }) => {
  if (!deps.quarantine) return errorJson(503, 'quarantine is not configured for this admin API');
  try {
    const page = await deps.quarantine.list({ limit, now: deps.clock(), ...(cursor === undefined ? {} : { cursor }) });
    return { status: 200, body: { items: page.items.map(quarantineView), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) } };
  } catch (error) {
    if (error instanceof InvalidQuarantineCursor) return errorJson(400, error.message);
    throw error;
  }
};

/** The item as JSON when it was kept whole; its cut text (flagged) otherwise. */
const quarantineView = ({ item, itemTruncated, receivedAt, expiresAt, ...rest }: QuarantinedItem) => ({
  ...rest,
  receivedAt: new Date(receivedAt).toISOString(),
  expiresAt: new Date(expiresAt).toISOString(),
  item: itemTruncated ? item : (JSON.parse(item) as unknown),
  itemTruncated,
});

export const quarantineRoutes = {
  'GET /admin/quarantine': { handle: listQuarantine },
} satisfies Partial<AdminRouteImpls>;
