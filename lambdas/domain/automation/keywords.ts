/**
 * The STOP / START keywords every account answers to, with no configuration (issue 13): a person
 * who writes one of these words as their whole message stops or resumes afterchat's marketing to
 * them on that account. Matched against the whole message only, so "please don't stop sending"
 * never stops anything.
 *
 * Sources: the carrier keyword conventions the peers copy (CTIA/Twilio: STOP, STOPALL, UNSUBSCRIBE;
 * START, UNSTOP), the words the issue names (STOPP, AFMELDEN, ABMELDEN, ARRÊT, BAJA, ANNULLA, SAIR),
 * and ../shared/reference/meta-and-peers-2026h2.md §3c. Words that name an ordinary request in a shop
 * chat (CANCEL, END, QUIT) are left out: a person cancelling an order must not lose their subscription
 * by accident. A word listed in several languages answers in the first one listed (English first).
 */
export type KeywordAction = 'stop' | 'start';
export type KeywordLanguage = 'en' | 'nl' | 'de' | 'fr' | 'es' | 'it' | 'pt';

export const KEYWORD_SOURCE = 'CTIA/Twilio opt-out conventions; issue 13; meta-and-peers-2026h2.md §3c';

export const KEYWORDS: Readonly<Record<KeywordLanguage, Readonly<Record<KeywordAction, readonly string[]>>>> = {
  en: { stop: ['STOP', 'STOPALL', 'STOP ALL', 'UNSUBSCRIBE', 'OPTOUT', 'OPT OUT', 'OPT-OUT'], start: ['START', 'UNSTOP', 'SUBSCRIBE'] },
  nl: { stop: ['AFMELDEN', 'STOPPEN', 'UITSCHRIJVEN'], start: ['AANMELDEN', 'INSCHRIJVEN'] },
  de: { stop: ['STOPP', 'ABMELDEN', 'ABBESTELLEN'], start: ['ANMELDEN', 'STARTEN'] },
  fr: { stop: ['ARRÊT', 'ARRÊTER', 'DÉSABONNER', 'DÉSINSCRIRE'], start: ['DÉMARRER', 'ABONNER'] },
  es: { stop: ['BAJA', 'DARSE DE BAJA', 'PARAR'], start: ['ALTA', 'DARSE DE ALTA', 'COMENZAR'] },
  it: { stop: ['ANNULLA', 'DISISCRIVIMI', 'BASTA'], start: ['ISCRIVIMI', 'INIZIA'] },
  pt: { stop: ['SAIR', 'DESCADASTRAR', 'CANCELAR INSCRIÇÃO'], start: ['INICIAR', 'VOLTAR'] },
};

/**
 * Quick-reply, postback and WhatsApp button payloads that do the same as the words: a business can
 * put a "Stop promotions" button in a message (`payload` / `id` set to one of these).
 */
export const KEYWORD_PAYLOADS: Readonly<Record<KeywordAction, string>> = { stop: 'AFTERCHAT_STOP', start: 'AFTERCHAT_START' };

export interface KeywordMatch {
  action: KeywordAction;
  /** The table's word as listed (e.g. `STOPP`), or the payload that matched. */
  keyword: string;
  language: KeywordLanguage;
  via: 'text' | 'payload';
}

/**
 * A message as a keyword is compared: trimmed, accents and case folded, inner spaces collapsed,
 * leading ¡¿ and trailing punctuation dropped (`Stop.` and ` stopp ` are keywords, `st op` is not).
 */
export const keywordForm = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .trim()
    .replace(/^[¡¿]+/u, '')
    .replace(/[\s.,;:!?…'"»«)\]]+$/u, '')
    .replace(/\s+/g, ' ');

/** Each keyword's form, the first language listing it winning. */
const byForm = new Map<string, Omit<KeywordMatch, 'via'>>();
for (const [language, actions] of Object.entries(KEYWORDS) as [KeywordLanguage, Record<KeywordAction, readonly string[]>][]) {
  for (const action of ['stop', 'start'] as const) {
    for (const keyword of actions[action]) {
      const form = keywordForm(keyword);
      if (!byForm.has(form)) byForm.set(form, { action, keyword, language });
    }
  }
}

/** Texts longer than this can't be a keyword, even with spaces and punctuation around it: never compared, never handed off. */
export const KEYWORD_TEXT_MAX = 40;

export const matchKeyword = (said: { text?: string; payload?: string }): KeywordMatch | undefined => {
  if (said.payload !== undefined) {
    const action = (Object.keys(KEYWORD_PAYLOADS) as KeywordAction[]).find((a) => KEYWORD_PAYLOADS[a] === said.payload);
    if (action) return { action, keyword: said.payload, language: 'en', via: 'payload' };
  }
  if (said.text === undefined || said.text.length > KEYWORD_TEXT_MAX) return undefined;
  const found = byForm.get(keywordForm(said.text));
  return found && { ...found, via: 'text' };
};
