import type { AutomationConfig } from '../../schemas/automation-config';
import { KEYWORD_TEXT_MAX, keywordForm, type KeywordLanguage } from './keywords';

/**
 * The words a person writes, as their whole message, to be handed to a human (issue 13): on for
 * every account, an account can add words (`keywords.handoff`) but not remove these. Compared as
 * STOP is (keywordForm): "agent" and " Agent! " hand over, "is an agent online?" does not.
 *
 * Sources: the words the issue names (agent, human, medewerker, Mitarbeiter), what peers' live-chat
 * triggers answer to (ManyChat "live agent", respond.io "talk to a human"; meta-and-peers-2026h2.md
 * §3c), and each language's everyday word for a shop's customer service person. Words that are
 * ordinary answers in a shop chat (HELP, SUPPORT, YES) are left out: a bot's menu uses them. A word
 * several languages share (AGENTE, HUMANO) answers in the account's default language when it is one
 * of them, else in the first one listed.
 */
export const HANDOFF_KEYWORD_SOURCE = 'issue 13; ManyChat and respond.io live-chat triggers, meta-and-peers-2026h2.md §3c';

export const HANDOFF_KEYWORDS: Readonly<Record<KeywordLanguage, readonly string[]>> = {
  en: ['AGENT', 'HUMAN', 'HUMAN AGENT', 'LIVE AGENT', 'REAL PERSON', 'OPERATOR', 'TALK TO A HUMAN', 'SPEAK TO AN AGENT'],
  nl: ['MEDEWERKER', 'MENS', 'KLANTENSERVICE', 'ECHT PERSOON'],
  de: ['MITARBEITER', 'MITARBEITERIN', 'MENSCH', 'KUNDENSERVICE', 'BERATER'],
  fr: ['HUMAIN', 'CONSEILLER', 'CONSEILLÈRE', 'AGENT', 'OPÉRATEUR', 'SERVICE CLIENT'],
  es: ['AGENTE', 'HUMANO', 'ASESOR', 'OPERADOR', 'PERSONA'],
  it: ['OPERATORE', 'OPERATRICE', 'AGENTE', 'UMANO', 'ASSISTENZA'],
  pt: ['ATENDENTE', 'HUMANO', 'AGENTE', 'ATENDIMENTO'],
};

/** The quick-reply, postback or button payload that asks for a human, as `AFTERCHAT_STOP` stops. */
export const HANDOFF_PAYLOAD = 'AFTERCHAT_HUMAN';

export interface HandoffMatch {
  /** The table's word as listed, the account's own word as configured, or the payload. */
  keyword: string;
  /** The language to answer in: the word's (the account's default for its own words and the payload). */
  language: string;
  via: 'text' | 'payload';
}

/** Each word's form and every language listing it, in the table's order. */
const byForm = new Map<string, { keyword: string; languages: KeywordLanguage[] }>();
for (const [language, words] of Object.entries(HANDOFF_KEYWORDS) as [KeywordLanguage, readonly string[]][]) {
  for (const keyword of words) {
    const form = keywordForm(keyword);
    const known = byForm.get(form);
    if (known) known.languages.push(language);
    else byForm.set(form, { keyword, languages: [language] });
  }
}

export const matchHandoff = (said: { text?: string; payload?: string }, config: Pick<AutomationConfig, 'defaultLanguage' | 'keywords'>): HandoffMatch | undefined => {
  if (said.payload === HANDOFF_PAYLOAD) return { keyword: HANDOFF_PAYLOAD, language: config.defaultLanguage, via: 'payload' };
  if (said.text === undefined || said.text.length > KEYWORD_TEXT_MAX) return undefined;
  const form = keywordForm(said.text);
  const found = byForm.get(form);
  if (found) {
    const language = found.languages.find((l) => l === config.defaultLanguage) ?? found.languages[0] ?? 'en';
    return { keyword: found.keyword, language, via: 'text' };
  }
  const own = config.keywords.handoff.find((word) => keywordForm(word) === form);
  return own === undefined ? undefined : { keyword: own, language: config.defaultLanguage, via: 'text' };
};
