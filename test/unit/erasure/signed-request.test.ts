/**
 * Interface under test: verifySignedRequest, the check of Meta's data deletion callback. Only a
 * request signed with the app secret (or the previous one while rotating), saying HMAC-SHA256 and
 * naming a user, is read; everything else is refused before anything is erased.
 */
import { createHmac } from 'node:crypto';
import { confirmationCodeOf, signRequest, verifySignedRequest } from '../../../lambdas/domain/erasure/signed-request';

const SECRET = 'app-secret';
const PAYLOAD = { algorithm: 'HMAC-SHA256', expires: 1779004800, issued_at: 1779001200, user_id: '218471' };
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const signWith = (secret: string, encodedPayload: string) => `${createHmac('sha256', secret).update(encodedPayload).digest('base64url')}.${encodedPayload}`;

describe('verifySignedRequest', () => {
  it('reads the user id of a request signed with the app secret', () => {
    expect(verifySignedRequest(signRequest(PAYLOAD, SECRET), [SECRET])).toEqual({ ok: true, request: { userId: '218471', issuedAt: 1779001200 } });
  });

  it('accepts the previous secret while it rotates, and a signature Meta padded with =', () => {
    const signed = signRequest(PAYLOAD, 'old-secret');
    const [signature, payload] = signed.split('.');
    expect(verifySignedRequest(`${signature}=.${payload}`, [SECRET, 'old-secret'])).toMatchObject({ ok: true });
  });

  it('takes a numeric user id as its digits', () => {
    expect(verifySignedRequest(signRequest({ ...PAYLOAD, user_id: 218471 }, SECRET), [SECRET])).toMatchObject({ ok: true, request: { userId: '218471' } });
  });

  it.each([
    ['signed with another secret', signRequest(PAYLOAD, 'not-the-secret')],
    ['a payload changed after signing', `${signRequest(PAYLOAD, SECRET).split('.')[0]}.${b64url(JSON.stringify({ ...PAYLOAD, user_id: '999' }))}`],
    ['a signature of the decoded JSON instead of the payload part', `${createHmac('sha256', SECRET).update(JSON.stringify(PAYLOAD)).digest('base64url')}.${b64url(JSON.stringify(PAYLOAD))}`],
  ])('refuses a forged request: %s', (_name, signed) => {
    expect(verifySignedRequest(signed, [SECRET])).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses every request when no secret is configured', () => {
    expect(verifySignedRequest(signRequest(PAYLOAD, ''), [''])).toEqual({ ok: false, reason: 'forged' });
  });

  it.each([
    ['another algorithm', { ...PAYLOAD, algorithm: 'HMAC-SHA1' }],
    ['no algorithm', { user_id: '218471' }],
  ])('refuses a correctly signed request with %s', (_name, payload) => {
    expect(verifySignedRequest(signRequest(payload, SECRET), [SECRET])).toEqual({ ok: false, reason: 'algorithm' });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['without a dot', 'abc'],
    ['with three parts', 'a.b.c'],
    ['not base64url', 'ab+/.cd'],
    ['a short signature', `${b64url('short')}.${b64url(JSON.stringify(PAYLOAD))}`],
    ['a payload that is not JSON', signWith(SECRET, b64url('not json'))],
    ['a payload naming no user', signWith(SECRET, b64url(JSON.stringify({ algorithm: 'HMAC-SHA256' })))],
    ['a user id that is no id', signWith(SECRET, b64url(JSON.stringify({ ...PAYLOAD, user_id: '../x' })))],
  ])('refuses a malformed request: %s', (_name, signed) => {
    expect(verifySignedRequest(signed, [SECRET])).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('confirmationCodeOf', () => {
  const sha = (text: string) => createHmac('sha256', 'k').update(text).digest('hex');

  it('gives Meta’s retry of a request the same code, and another request another', () => {
    const code = confirmationCodeOf({ userId: '218471', issuedAt: 1 }, sha);
    expect(code).toMatch(/^[0-9a-f]{20}$/);
    expect(confirmationCodeOf({ userId: '218471', issuedAt: 1 }, sha)).toBe(code);
    expect(confirmationCodeOf({ userId: '218471', issuedAt: 2 }, sha)).not.toBe(code);
    expect(code).not.toContain('218471');
  });
});
