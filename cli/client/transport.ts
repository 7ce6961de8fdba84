import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { CliError, EXIT } from '../errors';
import { createSigner, type RequestSigner, signingRegion } from './sigv4';
import { type Target, unreachableMessage } from './target';

export interface Answer {
  status: number;
  /** Parsed when the stack answered JSON, else the text. */
  body: unknown;
  /** The answer's headers, names in lower case (a CSV page names its continuation in one). */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

export interface SendOptions {
  query?: Record<string, string | undefined>;
  /** The exact bytes to send (a webhook's signature covers them). */
  body?: string;
  headers?: Record<string, string>;
  /** Admin calls are signed for a deployed stack; webhooks carry Meta's signature instead. */
  sign?: boolean;
}

export interface Transport {
  readonly target: Target;
  send(method: string, path: string, options?: SendOptions): Promise<Answer>;
}

export interface TransportOptions {
  target: Target;
  env: Readonly<Record<string, string | undefined>>;
  /** `--region`, for a deployed stack on a custom domain. */
  region?: string;
  /** Name resolution (tests point a non-loopback name at a stub on this machine). */
  lookup?: LookupFunction;
  credentials?: AwsCredentialIdentityProvider;
  timeoutMs?: number;
}

/** Errors that mean nothing answered at the URL, as opposed to an answer the CLI could not read. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT']);

/**
 * HTTP to one afterchat: signed with SigV4 unless the target is on loopback. Node's own http client
 * rather than fetch, so name resolution can be handed in and what is signed is exactly what is sent.
 */
export const createTransport = (options: TransportOptions): Transport => {
  const { target } = options;
  const base = new URL(target.baseUrl);
  let signer: RequestSigner | undefined;
  const signerFor = (): RequestSigner =>
    (signer ??= createSigner({ region: signingRegion(base.hostname, options.region, options.env), url: target.baseUrl, credentials: options.credentials }));

  return {
    target,
    async send(method, path, { query = {}, body, headers = {}, sign = true } = {}) {
      const url = new URL(`${target.baseUrl}${path}`);
      for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);
      let outgoing: Record<string, string> = {
        host: url.host,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
        ...headers,
      };
      if (sign && !target.loopback) {
        const signed = await signerFor()({
          method,
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port === '' ? undefined : Number(url.port),
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: outgoing,
          body,
        });
        outgoing = signed.headers;
      }
      try {
        return await exchange(url, { method, headers: outgoing, body, lookup: options.lookup, timeoutMs: options.timeoutMs ?? 120_000 });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== undefined && UNREACHABLE.has(code)) {
          throw new CliError(unreachableMessage(target, code), EXIT.unreachable);
        }
        throw error;
      }
    },
  };
};

const exchange = (
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string; lookup?: LookupFunction; timeoutMs: number },
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: init.method, headers: init.headers, ...(init.lookup ? { lookup: init.lookup } : {}) }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const isJson = /^application\/([\w.+-]+\+)?json/i.test(res.headers['content-type'] ?? '');
        let body: unknown = text;
        if (isJson && text !== '') {
          try {
            body = JSON.parse(text) as unknown;
          } catch {
            body = text;
          }
        }
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
    });
    req.setTimeout(init.timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${init.timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(init.body);
  });
