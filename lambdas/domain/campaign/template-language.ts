/** A campaign's template content as far as its language goes (lambdas/schemas/campaign.ts). */
export interface LanguageTemplates {
  name: string;
  language: string;
  languages?: Record<string, { language: string; name?: string }>;
}

/**
 * The template a contact gets: the entry for their `locale` (`pt_BR`, written `pt-br` or `pt_BR`),
 * else for its language (`de` for `de_AT`), else the campaign's default. A locale that names no
 * language gets the default: a typo in a profile never keeps a person from the campaign.
 */
export const templateForLocale = (content: LanguageTemplates, locale: string | undefined): { name: string; language: string } => {
  const parts = locale === undefined ? null : /^([a-z]{2,3})(?:[-_]([a-z]{2}))?$/i.exec(locale.trim());
  const language = parts?.[1]?.toLowerCase();
  const region = parts?.[2]?.toUpperCase();
  const entry = language === undefined ? undefined : ((region === undefined ? undefined : content.languages?.[`${language}_${region}`]) ?? content.languages?.[language]);
  return { name: entry?.name ?? content.name, language: entry?.language ?? content.language };
};
