import type { CampaignTracking } from '../../schemas/campaign';
import type { SendContent, TemplateComponent } from '../send/send-intent';
import { trackText, withUtm } from './tracked-links';
import { MAX_TARGETS, signTrackedLink } from './tracking-token';

export interface LinkSigning {
  /** Where tracking links point: the redirect's base URL up to the token, e.g. `https://api.example.com/r/`. */
  redirectBase: string;
  /** The current tracking key. */
  key: string;
  /** Epoch ms after which the links answer 410. */
  expiresAt: number;
}

export interface TrackedContent {
  content: SendContent;
  /** The targets, by the index each link's token names: what the outbox record stores. */
  links: string[];
}

/**
 * A campaign send's content with its links made tracking links of its outbox record: a text's web
 * addresses become `<redirectBase><token>`, and each URL button the campaign declares gets the token
 * as its parameter (the template's URL is `<redirectBase>{{1}}`). Targets carry the campaign's UTM
 * parameters. Other content is left as it is (a Marketing Message API send is tracked by Meta).
 */
export const trackSendContent = (content: SendContent, tracking: CampaignTracking, outboxId: string, signing: LinkSigning): TrackedContent => {
  const token = (target: number): string => signTrackedLink({ outboxId, target, expiresAt: signing.expiresAt }, signing.key);
  if (content.type === 'text') {
    const tracked = trackText(content.text, { redirectBase: signing.redirectBase, utm: tracking.utm, linkFor: (target) => `${signing.redirectBase}${token(target)}` });
    return { content: { ...content, text: tracked.text }, links: tracked.links };
  }
  if (content.type !== 'template' || tracking.buttons === undefined) return { content, links: [] };
  const buttons = tracking.buttons.slice(0, MAX_TARGETS);
  const links = buttons.map((button) => withUtm(button.url, tracking.utm));
  const components: TemplateComponent[] = buttons.map((button, target) => ({
    type: 'button',
    subType: 'url',
    index: button.index,
    parameters: [{ type: 'text', value: token(target) }],
  }));
  return { content: { ...content, components: [...(content.components ?? []), ...components] }, links };
};
