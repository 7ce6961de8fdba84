import { erasePerson } from '../erasure/erase-person';
import { errorJson } from '../http/responses';
import type { AdminRouteImpls, Handler } from './route-handler';

/**
 * Erasure: every item holding the person's data under every id they are held under goes, one
 * tombstone per id stays. 200 with what was removed by kind, also when there was nothing (again):
 * the outcome the caller asked for holds either way.
 */
const eraseContact: Handler<'DELETE /admin/contacts/{channel}/{accountId}/{userId}'> = async (deps, { path: contact }) => {
  if (!deps.erasure) return errorJson(503, 'erasure is not configured for this admin API');
  const result = await erasePerson({ erasure: deps.erasure, accounts: deps.accounts, clock: deps.clock }, contact);
  return {
    status: 200,
    body: { channel: contact.channel, accountId: contact.accountId, erasedAt: new Date(deps.clock()).toISOString(), ...result },
  };
};

export const erasureRoutes = {
  'DELETE /admin/contacts/{channel}/{accountId}/{userId}': { handle: eraseContact },
} satisfies Partial<AdminRouteImpls>;
