/**
 * SigV4 as the AWS specification writes it, with node:crypto only: the canonical request, the
 * string to sign, the signing key and the signature. Tests hold the CLI's signer (the SDK's) to it,
 * so a signing bug can't hide behind the same signer checking its own work.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { createHash, createHmac } from 'node:crypto';

export interface SignedRequestParts {
  method: string;
  /** As on the wire: each segment percent-encoded once, `/admin/x/2031-06-02T08%3A00%3A00.000Z`. */
  path: string;
  /** Decoded names and values. */
  query: readonly (readonly [string, string])[];
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** The headers the signature covers, lower-case. */
  signedHeaders: readonly string[];
  body: string;
  /** `20150830T123600Z` */
  amzDate: string;
  region: string;
  service: string;
  secretAccessKey: string;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();

/** RFC 3986: every byte but the unreserved `A–Z a–z 0–9 - . _ ~` as `%XX`, upper-case. */
const uriEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export const sigV4 = (r: SignedRequestParts): { canonicalRequest: string; stringToSign: string; signature: string } => {
  // Services other than S3 encode each segment of the normalised path twice: once on the wire, once here.
  const segments: string[] = [];
  for (const segment of r.path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  const canonicalUri = `/${segments.join('/')}${r.path.endsWith('/') && segments.length > 0 ? '/' : ''}`;
  const canonicalQuery = r.query
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const names = [...r.signedHeaders].sort();
  const canonicalHeaders = names.map((name) => `${name}:${(r.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [r.method, canonicalUri, canonicalQuery, canonicalHeaders, names.join(';'), sha256Hex(r.body)].join('\n');
  const day = r.amzDate.slice(0, 8);
  const scope = `${day}/${r.region}/${r.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', r.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${r.secretAccessKey}`, day), r.region), r.service), 'aws4_request');
  return { canonicalRequest, stringToSign, signature: createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex') };
};
