import { MAX_TARGETS } from './tracking-token';

/** UTM parameters a campaign asks for on its links' targets (absent ones aren't added). */
export interface Utm {
  source?: string;
  medium?: string;
  campaign?: string;
}

/**
 * A web address in a message's text: http(s), up to the first space or a character that can't
 * continue one. Punctuation ending a sentence (`…/sale.`) or closing a bracket isn't part of it.
 */
const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]}*_~]+$/;

/**
 * The target with the campaign's UTM parameters added; a parameter the address already sets is
 * left as the author wrote it. Not an http(s) address: unchanged.
 */
export const withUtm = (target: string, utm: Utm | undefined): string => {
  if (utm === undefined) return target;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return target;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return target;
  let changed = false;
  for (const [name, value] of [['utm_source', utm.source], ['utm_medium', utm.medium], ['utm_campaign', utm.campaign]] as const) {
    if (value === undefined || url.searchParams.has(name)) continue;
    url.searchParams.set(name, value);
    changed = true;
  }
  return changed ? url.toString() : target;
};

export interface TrackedText {
  text: string;
  /** The targets in the order their links name them (the `target` of each token). */
  links: string[];
}

/**
 * Every web address in `text` replaced by the tracking link `linkFor(index)` of its target (with the
 * UTM parameters), the same address twice by the same link. Addresses already on the redirect
 * (`redirectBase`) stay, and past `MAX_TARGETS - taken` targets the rest stay as written: a link
 * that can't be tracked still works. `taken` counts targets other parts of the message use.
 */
export const trackText = (
  text: string,
  options: { redirectBase: string; utm?: Utm; taken?: number; linkFor: (target: number) => string },
): TrackedText => {
  const links: string[] = [];
  const first = options.taken ?? 0;
  const rewritten = text.replace(URL_IN_TEXT, (found) => {
    const address = found.replace(TRAILING, '');
    const tail = found.slice(address.length);
    if (address.startsWith(options.redirectBase) || !isWebAddress(address)) return found;
    const target = withUtm(address, options.utm);
    let index = links.indexOf(target);
    if (index < 0) {
      if (first + links.length >= MAX_TARGETS) return found;
      index = links.push(target) - 1;
    }
    return `${options.linkFor(first + index)}${tail}`;
  });
  return { text: rewritten, links };
};

const isWebAddress = (address: string): boolean => {
  try {
    const url = new URL(address);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
};
