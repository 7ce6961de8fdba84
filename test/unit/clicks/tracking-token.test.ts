import { MAX_TARGETS, signTrackedLink, verifyTrackedLink } from '../../../lambdas/domain/clicks/tracking-token';
import { outboxIdFor } from '../../../lambdas/domain/send/outbox-id';

const KEY = 'tracking-key-one';
const OTHER_KEY = 'tracking-key-two';
const NOW = Date.parse('2026-12-01T10:00:00Z');
const DAY = 86_400_000;
const link = { outboxId: outboxIdFor('campaign#occ#whatsapp#123#49170000001'), target: 1, expiresAt: NOW + 30 * DAY };

describe('tracking link tokens', () => {
  it('verifies a token it signed and gives back the message, the target and the expiry to the second', () => {
    const token = signTrackedLink(link, KEY);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(verifyTrackedLink(token, [KEY], NOW)).toEqual({ ok: true, link });
  });

  it('accepts a link signed with the previous key while a rotation keeps both', () => {
    const token = signTrackedLink(link, OTHER_KEY);
    expect(verifyTrackedLink(token, [KEY, OTHER_KEY], NOW).ok).toBe(true);
    expect(verifyTrackedLink(token, [KEY], NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a token forged when its payload was changed, whatever it names', () => {
    const token = signTrackedLink(link, KEY);
    const [, signature] = token.split('.');
    const otherTarget = signTrackedLink({ ...link, target: 2 }, KEY).split('.')[0];
    const longerLife = signTrackedLink({ ...link, expiresAt: NOW + 365 * DAY }, KEY).split('.')[0];
    expect(verifyTrackedLink(`${otherTarget}.${signature}`, [KEY], NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyTrackedLink(`${longerLife}.${signature}`, [KEY], NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls malformed and unsigned tokens forged', () => {
    for (const token of [undefined, '', 'abc', 'a.b.c', `${signTrackedLink(link, KEY)}x`, signTrackedLink(link, KEY).split('.')[0]]) {
      expect(verifyTrackedLink(token, [KEY], NOW)).toEqual({ ok: false, reason: 'forged' });
    }
    expect(verifyTrackedLink(signTrackedLink(link, KEY), [''], NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a genuine token past its expiry expired, and a forged expired one forged', () => {
    const expired = signTrackedLink({ ...link, expiresAt: NOW - 1000 }, KEY);
    expect(verifyTrackedLink(expired, [KEY], NOW)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyTrackedLink(expired, [OTHER_KEY], NOW)).toEqual({ ok: false, reason: 'forged' });
    // Valid through its last second.
    expect(verifyTrackedLink(signTrackedLink({ ...link, expiresAt: NOW }, KEY), [KEY], NOW).ok).toBe(true);
  });

  it('signs only outbox ids, target indexes in range and with a key', () => {
    expect(() => signTrackedLink({ ...link, outboxId: 'https://evil.example' }, KEY)).toThrow();
    expect(() => signTrackedLink({ ...link, target: MAX_TARGETS }, KEY)).toThrow();
    expect(() => signTrackedLink({ ...link, target: -1 }, KEY)).toThrow();
    expect(() => signTrackedLink(link, '')).toThrow();
  });
});
