import { UsageError } from '../errors';

/** The local stack's port when PORT is not set, as `npm run local` starts it. */
export const DEFAULT_LOCAL_PORT = 3000;

/** Which afterchat the CLI talks to. */
export interface Target {
  /** Scheme, host, port and any path prefix, without a trailing slash: `https://abc.execute-api.eu-west-1.amazonaws.com`. */
  baseUrl: string;
  /** The local stack (or anything on this machine's loopback): open, so nothing is signed. */
  loopback: boolean;
}

/**
 * `--url`, else AFTERCHAT_URL, else the local stack on PORT (3000), as `npm run local` listens. The
 * stack's `AdminBaseUrl` (`…/admin/`) and `WebhookCallbackUrl` (`…/webhooks/meta`) outputs are taken
 * as well as its API endpoint.
 */
export const resolveTarget = (url: string | undefined, env: Readonly<Record<string, string | undefined>>): Target => {
  const given = url ?? env.AFTERCHAT_URL;
  const raw = given ?? `http://127.0.0.1:${env.PORT ?? DEFAULT_LOCAL_PORT}`;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new UsageError(`${given === url ? '--url' : 'AFTERCHAT_URL'} ${raw} is not a URL: give the stack's AdminBaseUrl, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/admin/`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`${raw}: only http and https URLs are supported`);
  if (parsed.search !== '' || parsed.hash !== '') throw new UsageError(`${raw}: give the base URL alone, without a query or fragment`);
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/(admin|webhooks\/meta)$/, '');
  return { baseUrl: `${parsed.origin}${path}`, loopback: isLoopback(parsed.hostname) };
};

/** `localhost`, 127.0.0.0/8 and ::1: the names and addresses that never leave this machine. */
const isLoopback = (hostname: string): boolean =>
  hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);

/**
 * The sentence for a stack that isn't there: `no afterchat at http://127.0.0.1:3000 — start it with
 * \`npm run local\``, with the port when it is another; for a deployed stack, why and where to look.
 */
export const unreachableMessage = (target: Target, code: string): string => {
  if (!target.loopback) return `no afterchat at ${target.baseUrl} (${code}) — check --url (or AFTERCHAT_URL): it should be the stack’s AdminBaseUrl output`;
  const url = new URL(target.baseUrl);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const local = port === String(DEFAULT_LOCAL_PORT) ? 'npm run local' : `PORT=${port} npm run local`;
  return `no afterchat at ${target.baseUrl}${code === 'ECONNREFUSED' ? '' : ` (${code})`} — start it with \`${local}\``;
};
