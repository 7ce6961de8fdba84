/** Which stack the CLI talks to, whether it signs, and what it says when nothing answers. */
import { resolveTarget, unreachableMessage } from '../../../cli/client/target';
import { signingRegion } from '../../../cli/client/sigv4';
import { instantArg } from '../../../cli/commands/relative-time';

describe('the stack the CLI talks to', () => {
  it('is the local stack on 3000 by default, on PORT when set, unsigned', () => {
    expect(resolveTarget(undefined, {})).toEqual({ baseUrl: 'http://127.0.0.1:3000', loopback: true });
    expect(resolveTarget(undefined, { PORT: '3917' })).toEqual({ baseUrl: 'http://127.0.0.1:3917', loopback: true });
  });

  it('is AFTERCHAT_URL, and --url before it', () => {
    const env = { AFTERCHAT_URL: 'https://abc123.execute-api.eu-west-1.amazonaws.com', PORT: '3917' };
    expect(resolveTarget(undefined, env)).toEqual({ baseUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com', loopback: false });
    expect(resolveTarget('http://localhost:4000', env)).toEqual({ baseUrl: 'http://localhost:4000', loopback: true });
  });

  it("takes the stack's AdminBaseUrl and WebhookCallbackUrl outputs as they are printed", () => {
    expect(resolveTarget('https://abc123.execute-api.eu-west-1.amazonaws.com/admin/', {}).baseUrl).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com');
    expect(resolveTarget('http://127.0.0.1:3000/webhooks/meta', {}).baseUrl).toBe('http://127.0.0.1:3000');
    expect(resolveTarget('https://api.shop.example/afterchat/admin', {}).baseUrl).toBe('https://api.shop.example/afterchat');
  });

  it('signs for anything but loopback', () => {
    expect(resolveTarget('http://127.0.0.2:3000', {}).loopback).toBe(true);
    expect(resolveTarget('http://[::1]:3000', {}).loopback).toBe(true);
    expect(resolveTarget('http://10.0.0.5:3000', {}).loopback).toBe(false);
    expect(resolveTarget('http://localhost.example:3000', {}).loopback).toBe(false);
  });

  it('refuses what is no base URL, saying what to give', () => {
    expect(() => resolveTarget('abc123.execute-api.eu-west-1.amazonaws.com', {})).toThrow(/--url .* is not a URL: give the stack's AdminBaseUrl/);
    expect(() => resolveTarget(undefined, { AFTERCHAT_URL: 'ftp://x' })).toThrow('ftp://x: only http and https URLs are supported');
    expect(() => resolveTarget('https://x.example/admin?a=1', {})).toThrow('without a query or fragment');
  });
});

describe('a stack that is not there', () => {
  it('names the local stack and the command that starts it', () => {
    expect(unreachableMessage(resolveTarget(undefined, {}), 'ECONNREFUSED')).toBe('no afterchat at http://127.0.0.1:3000 — start it with `npm run local`');
    expect(unreachableMessage(resolveTarget(undefined, { PORT: '3917' }), 'ECONNREFUSED')).toBe('no afterchat at http://127.0.0.1:3917 — start it with `PORT=3917 npm run local`');
  });

  it('names a deployed stack with why, and where its URL comes from', () => {
    expect(unreachableMessage(resolveTarget('https://abc123.execute-api.eu-west-1.amazonaws.com/admin/', {}), 'ENOTFOUND')).toBe(
      'no afterchat at https://abc123.execute-api.eu-west-1.amazonaws.com (ENOTFOUND) — check --url (or AFTERCHAT_URL): it should be the stack’s AdminBaseUrl output',
    );
  });
});

describe('the region a deployed stack is signed for', () => {
  it('comes from an execute-api host, else --region, else AWS_REGION', () => {
    expect(signingRegion('abc123.execute-api.eu-west-1.amazonaws.com', 'us-east-1', { AWS_REGION: 'ap-south-1' })).toBe('eu-west-1');
    expect(signingRegion('api.shop.example', 'us-east-1', { AWS_REGION: 'ap-south-1' })).toBe('us-east-1');
    expect(signingRegion('api.shop.example', undefined, { AWS_DEFAULT_REGION: 'ap-south-1' })).toBe('ap-south-1');
    expect(() => signingRegion('api.shop.example', undefined, {})).toThrow("can't tell the AWS region of api.shop.example: pass --region or set AWS_REGION");
  });
});

describe('--at and other instants', () => {
  const now = Date.parse('2031-06-02T10:00:00.000Z');

  it('takes a time from now, so examples never name a date that passes', () => {
    expect(instantArg('+2h', now)).toBe('2031-06-02T12:00:00.000Z');
    expect(instantArg('+30m', now)).toBe('2031-06-02T10:30:00.000Z');
    expect(instantArg('-1d', now)).toBe('2031-06-01T10:00:00.000Z');
  });

  it('passes an instant with a zone through, and refuses one without', () => {
    expect(instantArg('2031-06-03T09:00:00+02:00', now)).toBe('2031-06-03T09:00:00+02:00');
    expect(() => instantArg('2031-06-03T09:00:00', now)).toThrow('give an ISO-8601 instant with a zone');
    expect(() => instantArg('tomorrow', now)).toThrow('or a time from now (+30m, +2h, +1d, -1d)');
  });
});
