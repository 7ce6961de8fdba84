/**
 * A stand-in for API Gateway's IAM authorisation in front of the admin API: it computes each
 * request's SigV4 signature from what arrived (method, path, query, the signed headers, the body)
 * by the specification (sigv4-reference.ts, not the SDK's signer the CLI uses) with the test's
 * credentials, and refuses what doesn't match as API Gateway does (403 with `message`). What it
 * accepts it answers from `answers`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { sigV4 } from './sigv4-reference';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDAFTERCHATTEST01', secretAccessKey: 'afterchat/test/secret/key/not+real' };

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `signed`: the signature matched; `unsigned`: none came; `mismatch`: it didn't. */
  verdict: 'signed' | 'unsigned' | 'mismatch';
}

export interface SigV4Stub {
  port: number;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20261206/eu-west-1/execute-api/aws4_request, SignedHeaders=a;b, Signature=…` */
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

const verify = (req: { method: string; url: string; headers: IncomingHttpHeaders; body: string }, expected: { region: string }): ReceivedRequest['verdict'] => {
  const authorization = req.headers.authorization;
  if (authorization === undefined) return 'unsigned';
  const parts = AUTHORIZATION.exec(authorization);
  const date = req.headers['x-amz-date'];
  if (!parts || typeof date !== 'string') return 'mismatch';
  const [, keyId, day, region, service, signedList, signature] = parts as unknown as string[];
  if (keyId !== TEST_CREDENTIALS.accessKeyId || region !== expected.region || service !== 'execute-api' || !date.startsWith(day as string)) return 'mismatch';
  const signedHeaders = (signedList as string).split(';');
  // API Gateway wants the host and the time signed, or anyone could replay the request elsewhere and later.
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) return 'mismatch';
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = req.headers[name];
    if (value === undefined) return 'mismatch';
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query = req.url.indexOf('?');
  const computed = sigV4({
    method: req.method,
    path: query === -1 ? req.url : req.url.slice(0, query),
    query: [...new URLSearchParams(query === -1 ? '' : req.url.slice(query + 1))],
    headers,
    signedHeaders,
    // The payload's hash is taken from the body that arrived, never from the caller's word for it.
    body: req.body,
    amzDate: date,
    region: expected.region,
    service: 'execute-api',
    secretAccessKey: TEST_CREDENTIALS.secretAccessKey,
  });
  return computed.signature === signature ? 'signed' : 'mismatch';
};

export const startSigV4Stub = async (options: { region: string; answers: Record<string, unknown> }): Promise<SigV4Stub> => {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const verdict = verify(request, options);
      received.push({ ...request, verdict });
      const answer = options.answers[`${request.method} ${new URL(request.url, 'http://stub').pathname}`];
      const [status, body] =
        verdict === 'unsigned'
          ? [403, { message: 'Forbidden' }]
          : verdict === 'mismatch'
            ? [403, { message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.' }]
            : answer === undefined
              ? [404, { error: 'no such route' }]
              : [200, answer];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};

/** Name resolution that sends `hostname` to 127.0.0.1 without asking DNS, and refuses every other name. */
export const lookupTo127 =
  (hostname: string): LookupFunction =>
  (name, options, callback) => {
    if (name !== hostname) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    // Node asks for every address (happy eyeballs) or for one.
    if (options.all === true) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };
