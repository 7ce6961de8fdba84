import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { HttpResult } from '../../lambdas/http/responses';
import type { HttpHandler } from '../../lambdas/local/api-gateway-bridge';
import { createSigner, type RequestSigner, signingRegion } from '../client/sigv4';
import type { TransportOptions } from '../client/transport';
import { unreachableMessage } from '../client/target';

/** Where and how to forward: the CLI's own transport options (target, region, credentials, name resolution, timeout). */
export type ForwarderOptions = TransportOptions;

/** The browser's headers that mean something to the admin API; cookies, origin and the like stay here. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept'];
/** Hop-by-hop headers, and the length the local server sets itself. */
const DROPPED_ANSWER_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-authenticate', 'upgrade']);

/** RFC 3986, so the query on the wire reads the same to every parser (no `+` for a space). */
const uriEncode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const jsonAnswer = (statusCode: number, error: string): HttpResult => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error }) });

/**
 * The console's /admin/ calls, forwarded to one afterchat as they came (method, path, query, body)
 * and signed with SigV4 unless the target is on loopback: the operator's credentials never reach
 * the browser, and the deployed admin API stays IAM-only.
 */
export const adminForwarder = (options: ForwarderOptions): HttpHandler => {
  const { target } = options;
  const base = new URL(target.baseUrl);
  let signer: RequestSigner | undefined;
  const signerFor = (): RequestSigner =>
    (signer ??= createSigner({ region: signingRegion(base.hostname, options.region, options.env), url: target.baseUrl, credentials: options.credentials }));

  return async (event) => {
    const method = event.requestContext.http.method;
    const params = [...new URLSearchParams(event.rawQueryString)];
    const url = new URL(`${target.baseUrl}${event.rawPath}`);
    url.search = params.map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`).join('&');
    const body = event.body === undefined ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
    let headers: Record<string, string> = { host: url.host };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = event.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    if (body !== undefined) headers['content-length'] = String(body.length);
    try {
      if (!target.loopback) {
        const query: Record<string, string | string[]> = {};
        for (const [name, value] of params) {
          const previous = query[name];
          query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
        }
        const signed = await signerFor()({
          method,
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port === '' ? undefined : Number(url.port),
          path: url.pathname,
          query,
          headers,
          body,
        });
        headers = signed.headers;
      }
      return await exchange(url, { method, headers, body, lookup: options.lookup, timeoutMs: options.timeoutMs ?? 120_000 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The console shows `error` as the refusal's sentence; the operator's terminal has the rest.
      return jsonAnswer(502, code === undefined ? (error as Error).message : unreachableMessage(target, code));
    }
  };
};

/** One HTTP exchange, its answer kept byte for byte. */
const exchange = (url: URL, init: { method: string; headers: Record<string, string>; body?: Buffer; lookup?: LookupFunction; timeoutMs: number }): Promise<HttpResult> =>
  new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: init.method, headers: init.headers, ...(init.lookup ? { lookup: init.lookup } : {}) }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined && !DROPPED_ANSWER_HEADERS.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ statusCode: res.statusCode ?? 502, headers, body: Buffer.concat(chunks).toString('base64'), isBase64Encoded: true });
      });
    });
    req.setTimeout(init.timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${init.timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(init.body);
  });
