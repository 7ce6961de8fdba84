import type { IncomingMessage } from 'node:http';

/** Graph takes the token as `Authorization: Bearer <token>` or as the `access_token` query parameter. */
export const presentedToken = (req: IncomingMessage, url: URL): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? url.searchParams.get('access_token') ?? undefined;

/** Each account has its own token (Page token, system-user token...); another account's token is as wrong as none. */
export const isAuthorised = (tokens: ReadonlyMap<string, string>, accountId: string, presented: string | undefined): boolean =>
  presented !== undefined && tokens.get(accountId) === presented;
