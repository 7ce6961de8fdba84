import type { KeywordAction, KeywordLanguage } from './keywords';

/**
 * What afterchat answers a STOP or START with, per language, until accounts configure their own
 * texts: one service message, inside the window the keyword just opened (every WhatsApp service
 * message is billed since 2026-10-01, meta-and-peers-2026h2.md §2.1, so it answers once per keyword).
 * Each text names the word that undoes it in its own language.
 */
export const CONFIRMATIONS: Readonly<Record<KeywordLanguage, Readonly<Record<KeywordAction, string>>>> = {
  en: {
    stop: "You won't receive marketing messages from us any more. Reply START to receive them again.",
    start: "You'll receive our marketing messages again. Reply STOP to stop them.",
  },
  nl: {
    stop: 'Je ontvangt geen marketingberichten meer van ons. Antwoord AANMELDEN om ze weer te ontvangen.',
    start: 'Je ontvangt onze marketingberichten weer. Antwoord AFMELDEN om ze te stoppen.',
  },
  de: {
    stop: 'Sie erhalten keine Werbenachrichten mehr von uns. Antworten Sie ANMELDEN, um sie wieder zu erhalten.',
    start: 'Sie erhalten unsere Werbenachrichten wieder. Antworten Sie STOPP, um sie zu beenden.',
  },
  fr: {
    stop: 'Vous ne recevrez plus nos messages marketing. Répondez DÉMARRER pour les recevoir à nouveau.',
    start: 'Vous recevrez à nouveau nos messages marketing. Répondez ARRÊT pour les arrêter.',
  },
  es: {
    stop: 'Ya no recibirás nuestros mensajes de marketing. Responde ALTA para volver a recibirlos.',
    start: 'Volverás a recibir nuestros mensajes de marketing. Responde BAJA para dejar de recibirlos.',
  },
  it: {
    stop: 'Non riceverai più i nostri messaggi di marketing. Rispondi ISCRIVIMI per riceverli di nuovo.',
    start: 'Riceverai di nuovo i nostri messaggi di marketing. Rispondi ANNULLA per interromperli.',
  },
  pt: {
    stop: 'Você não receberá mais nossas mensagens de marketing. Responda INICIAR para voltar a recebê-las.',
    start: 'Você voltará a receber nossas mensagens de marketing. Responda SAIR para pará-las.',
  },
};
