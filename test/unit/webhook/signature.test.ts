/** Interface under test: isValidSignature, the X-Hub-Signature-256 gate in front of every POST. */
import fc from 'fast-check';
import { isValidSignature, signBody } from '../../../lambdas/webhook/signature';

const SECRET = 'app-secret';
const body = Buffer.from('{"object":"page","entry":[]}');

describe('isValidSignature', () => {
  it('accepts the HMAC-SHA256 of the exact bytes', () => {
    expect(isValidSignature(body, signBody(body, SECRET), [SECRET])).toBe(true);
  });

  it('accepts upper-case hex as well', () => {
    const header = `sha256=${signBody(body, SECRET).slice(7).toUpperCase()}`;
    expect(isValidSignature(body, header, [SECRET])).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without the sha256= prefix', signBody(body, SECRET).slice(7)],
    ['the legacy sha1 form', 'sha1=0123456789abcdef0123456789abcdef01234567'],
    ['too short', signBody(body, SECRET).slice(0, -2)],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['signed with another secret', signBody(body, 'other-secret')],
  ])('refuses a signature that is %s', (_case, header) => {
    expect(isValidSignature(body, header, [SECRET])).toBe(false);
  });

  it('refuses a tampered body', () => {
    const tampered = Buffer.from(body.toString().replace('page', 'pagf'));
    expect(isValidSignature(tampered, signBody(body, SECRET), [SECRET])).toBe(false);
  });

  it('checks the escaped-unicode bytes Meta signs, not a re-serialised JSON', () => {
    // Prepare: Meta sends and signs "äöå" as \u00e4\u00f6\u00e5; JSON.stringify would emit raw UTF-8.
    const asSent = Buffer.from('{"text":"\\u00e4\\u00f6\\u00e5"}');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(asSent.toString())));
    const header = signBody(asSent, SECRET);
    // Assess
    expect(isValidSignature(asSent, header, [SECRET])).toBe(true);
    expect(isValidSignature(reserialised, header, [SECRET])).toBe(false);
  });

  it('accepts raw UTF-8 bodies (emoji) signed as sent', () => {
    const utf8 = Buffer.from('{"text":"Grüße 👋"}', 'utf8');
    expect(isValidSignature(utf8, signBody(utf8, SECRET), [SECRET])).toBe(true);
  });

  it('accepts the previous secret while the app secret is rotated', () => {
    expect(isValidSignature(body, signBody(body, 'old'), ['new', 'old'])).toBe(true);
    expect(isValidSignature(body, signBody(body, 'old'), ['new'])).toBe(false);
  });

  it('never accepts anything when no secret is configured', () => {
    expect(isValidSignature(body, signBody(body, ''), [''])).toBe(false);
  });

  it('refuses every forged signature (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.string(), (bytes, forged) => {
        const raw = Buffer.from(bytes);
        fc.pre(forged !== signBody(raw, SECRET));
        return !isValidSignature(raw, forged, [SECRET]);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any single-byte change of body or signature (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, delta) => {
        const raw = Buffer.from(bytes);
        const header = signBody(raw, SECRET);
        const mutated = Buffer.from(raw);
        const i = at % mutated.length;
        mutated[i] = ((mutated[i] as number) + delta) % 256;
        const hexAt = 7 + (at % 64);
        const flipped = header.slice(0, hexAt) + (header[hexAt] === '0' ? '1' : '0') + header.slice(hexAt + 1);
        return !isValidSignature(mutated, header, [SECRET]) && !isValidSignature(raw, flipped, [SECRET]);
      }),
      { numRuns: 2000 },
    );
  });
});
