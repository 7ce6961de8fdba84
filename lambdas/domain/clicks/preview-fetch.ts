/**
 * Link-preview agents: the bots messengers and chat apps send to read a link's title and image
 * before anyone taps it. Matched case-insensitively anywhere in the User-Agent.
 */
export const PREVIEW_AGENTS: readonly string[] = [
  'WhatsApp',
  'facebookexternalhit',
  'Facebot',
  'meta-externalagent',
  'TelegramBot',
  'Slackbot',
  'Slack-ImgProxy',
  'Twitterbot',
  'Discordbot',
  'LinkedInBot',
  'SkypeUriPreview',
  'Iframely',
  'Embedly',
  'redditbot',
  'Applebot',
  'Google-PageRenderer',
  'vkShare',
  'Pinterestbot',
];

const AGENTS = PREVIEW_AGENTS.map((agent) => agent.toLowerCase());

/** Default span after delivery in which a preview agent's fetch is taken for the preview, not a person. */
export const DEFAULT_PREVIEW_WINDOW_SECONDS = 10;

export const isPreviewAgent = (userAgent: string | undefined): boolean => {
  const ua = (userAgent ?? '').toLowerCase();
  return AGENTS.some((agent) => ua.includes(agent));
};

/**
 * Whether a fetch is a link preview rather than a person's click: a preview agent's, no later than
 * `windowMs` after the message reached the person (`deliveredAt`: its delivery, else its send; any
 * time before that too, as when the sending side builds the preview). A person whose app fetches
 * through a preview agent later (a link opened inside WhatsApp's in-app view announces itself as
 * WhatsApp) counts. With neither time known the fetch is a preview: the message has not left yet.
 */
export const isPreviewFetch = (fetch: { userAgent?: string; at: number }, deliveredAt: number | undefined, windowMs: number): boolean =>
  isPreviewAgent(fetch.userAgent) && (deliveredAt === undefined || fetch.at <= deliveredAt + windowMs);
