import type { KeywordLanguage } from './keywords';

/**
 * What afterchat tells a person who asked for a human, per language, until the account writes its
 * own (`handoff.texts`): once per handoff, and it promises no time, since no one knows when an
 * agent will read it.
 */
export const HANDOFF_ACKNOWLEDGEMENTS: Readonly<Record<KeywordLanguage, string>> = {
  en: 'Thanks! A colleague will answer you here soon.',
  nl: 'Bedankt! Een collega antwoordt je hier zo snel mogelijk.',
  de: 'Danke! Eine Kollegin oder ein Kollege antwortet Ihnen hier in Kürze.',
  fr: 'Merci ! Un collègue vous répondra ici très bientôt.',
  es: '¡Gracias! Un compañero te responderá aquí en breve.',
  it: 'Grazie! Un collega ti risponderà qui a breve.',
  pt: 'Obrigado! Um colega vai responder você aqui em breve.',
};

/** The account's text in the language asked for, else its default language's, else its first; else the built-in one. */
export const acknowledgementIn = (language: string, defaultLanguage: string, texts: Readonly<Record<string, string>> | undefined): string => {
  if (texts !== undefined) {
    const own = texts[language] ?? texts[defaultLanguage] ?? Object.values(texts)[0];
    if (own !== undefined) return own;
  }
  const builtIn = HANDOFF_ACKNOWLEDGEMENTS as Readonly<Record<string, string>>;
  return builtIn[language] ?? builtIn[defaultLanguage] ?? HANDOFF_ACKNOWLEDGEMENTS.en;
};
