import { isPreviewAgent, isPreviewFetch } from '../../../lambdas/domain/clicks/preview-fetch';
import { trackSendContent } from '../../../lambdas/domain/clicks/track-send';
import { trackText, withUtm } from '../../../lambdas/domain/clicks/tracked-links';
import { verifyTrackedLink } from '../../../lambdas/domain/clicks/tracking-token';
import { outboxIdFor } from '../../../lambdas/domain/send/outbox-id';

const BASE = 'https://t.example.com/r/';
const linkFor = (target: number) => `${BASE}L${target}`;

describe('link rewriting', () => {
  it('replaces every web address with its tracking link, the same address by the same link, keeping punctuation', () => {
    const tracked = trackText('Sale: https://shop.example/sale. Also (https://shop.example/new) and https://shop.example/sale!', { redirectBase: BASE, linkFor });
    expect(tracked.text).toBe(`Sale: ${BASE}L0. Also (${BASE}L1) and ${BASE}L0!`);
    expect(tracked.links).toEqual(['https://shop.example/sale', 'https://shop.example/new']);
  });

  it('adds UTM parameters the address does not set, and leaves links on the redirect alone', () => {
    const utm = { source: 'whatsapp', medium: 'message', campaign: 'black-friday' };
    const tracked = trackText(`Go https://shop.example/p?utm_source=mail&id=7 or ${BASE}abc`, { redirectBase: BASE, utm, linkFor });
    expect(tracked.links).toEqual(['https://shop.example/p?utm_source=mail&id=7&utm_medium=message&utm_campaign=black-friday']);
    expect(tracked.text).toBe(`Go ${BASE}L0 or ${BASE}abc`);
    expect(withUtm('mailto:a@example.com', utm)).toBe('mailto:a@example.com');
  });

  it('leaves a text without addresses unchanged', () => {
    expect(trackText('No links here', { redirectBase: BASE, linkFor })).toEqual({ text: 'No links here', links: [] });
  });
});

describe('a campaign send with tracking', () => {
  const outboxId = outboxIdFor('c#o#r');
  const signing = { redirectBase: BASE, key: 'k', expiresAt: Date.parse('2027-01-01T00:00:00Z') };

  it('signs each text link for its own outbox record and target', () => {
    const { content, links } = trackSendContent({ type: 'text', text: 'See https://a.example and https://b.example' }, {}, outboxId, signing);
    expect(links).toEqual(['https://a.example', 'https://b.example']);
    const tokens = [...(content.type === 'text' ? content.text : '').matchAll(/\/r\/([\w.-]+)/g)].map((m) => m[1]);
    expect(tokens.map((t) => verifyTrackedLink(t, ['k'], 0))).toEqual([
      { ok: true, link: { outboxId, target: 0, expiresAt: signing.expiresAt } },
      { ok: true, link: { outboxId, target: 1, expiresAt: signing.expiresAt } },
    ]);
  });

  it("fills a WhatsApp template's URL buttons with tokens and stores their targets", () => {
    const template = { type: 'template' as const, name: 'sale', language: 'en', components: [{ type: 'body' as const, parameters: [{ type: 'text' as const, value: 'Ada' }] }] };
    const { content, links } = trackSendContent(template, { buttons: [{ index: 1, url: 'https://shop.example/sale' }], utm: { source: 'wa' } }, outboxId, signing);
    expect(links).toEqual(['https://shop.example/sale?utm_source=wa']);
    const components = content.type === 'template' ? (content.components ?? []) : [];
    expect(components).toHaveLength(2);
    expect(components[0]).toEqual(template.components[0]);
    expect(components[1]).toMatchObject({ type: 'button', subType: 'url', index: 1 });
    expect(components[1]?.parameters[0]?.value).toMatch(/^[\w-]+\.[\w-]{22}$/);
  });
});

describe('the link-preview rule', () => {
  const delivered = Date.parse('2026-12-01T10:00:00Z');
  it('takes a preview agent around delivery for the preview, a person or a later fetch for a click', () => {
    expect(isPreviewAgent('WhatsApp/2.23.20.0 A')).toBe(true);
    expect(isPreviewAgent('facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)')).toBe(true);
    expect(isPreviewAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1')).toBe(false);
    expect(isPreviewFetch({ userAgent: 'WhatsApp/2.23', at: delivered + 9_000 }, delivered, 10_000)).toBe(true);
    expect(isPreviewFetch({ userAgent: 'WhatsApp/2.23', at: delivered - 5_000 }, delivered, 10_000)).toBe(true);
    expect(isPreviewFetch({ userAgent: 'WhatsApp/2.23', at: delivered + 11_000 }, delivered, 10_000)).toBe(false);
    expect(isPreviewFetch({ userAgent: 'Mozilla/5.0', at: delivered + 1_000 }, delivered, 10_000)).toBe(false);
    expect(isPreviewFetch({ userAgent: 'TelegramBot', at: delivered }, undefined, 10_000)).toBe(true);
  });
});
