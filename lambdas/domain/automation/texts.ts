import type { Texts } from '../../schemas/automation-config';

/**
 * The text an automation sends a person, from the account's texts per language, in the contact's
 * language, with their first name. Both come from the contact's profile (`PUT
 * /admin/contacts/.../profile`, stored as `profileAttributes`): `locale` (`de`, `de_DE`, `de-AT`)
 * and `firstName`. Names Meta sends with a message are not stored, so without a profile the text
 * goes out without a name. Neither the name nor the text is ever logged.
 */
export const textFor = (texts: Texts, defaultLanguage: string, state: Record<string, unknown>): string => {
  const language = languageOf(attributeOf(state, 'locale'));
  // A stored map keeps no key order, so "the first" is the first by language code: the same on every read.
  const chosen = (language === undefined ? undefined : texts[language]) ?? texts[defaultLanguage] ?? texts[Object.keys(texts).sort()[0] ?? ''] ?? '';
  return withFirstName(chosen, attributeOf(state, 'firstName'));
};

/** The ISO 639-1 part of a locale (`de_DE` -> `de`), or undefined when it has none. */
export const languageOf = (locale: string | undefined): string | undefined => {
  const match = locale === undefined ? null : /^([a-z]{2})(?:[-_]|$)/i.exec(locale.trim());
  return match?.[1]?.toLowerCase();
};

const PLACEHOLDER = '{firstName}';

/**
 * `{firstName}` replaced by the name; without one, removed so the sentence still reads:
 * - with the spaces before it: "Hi {firstName}, welcome" -> "Hi, welcome"; "Hallo {firstName}!" -> "Hallo!";
 * - with a comma before it, which set the name off: "Welcome, {firstName}!" -> "Welcome!";
 *   "Thanks, {firstName}, for writing" -> "Thanks for writing";
 * - at the start of a line, with the punctuation after it, and the next letter capitalised:
 *   "{firstName}, your order is ready" -> "Your order is ready".
 */
export const withFirstName = (text: string, firstName: string | undefined): string => {
  if (firstName !== undefined) return text.split(PLACEHOLDER).join(firstName);
  return text
    .replace(/(^|\n)[ \t]*\{firstName\}[ \t]*[,;:!]?[ \t]*(\p{L})?/gu, (_, start: string, letter: string | undefined) => `${start}${letter?.toLocaleUpperCase() ?? ''}`)
    .replace(/[ \t]*(,)?[ \t]*\{firstName\}([ \t]*,)?/g, (_, before: string | undefined, after: string | undefined) => (after !== undefined && before === undefined ? ',' : ''))
    .trim();
};

/** A profile attribute with some text in it, trimmed. */
const attributeOf = (state: Record<string, unknown>, name: string): string | undefined => {
  const attributes = state.profileAttributes;
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const value = (attributes as Record<string, unknown>)[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};
