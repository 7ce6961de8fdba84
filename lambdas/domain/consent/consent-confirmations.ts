import type { KeywordLanguage } from '../automation/keywords';

/**
 * What afterchat answers a WhatsApp consent with when the account wrote no confirmation of its own:
 * one service message (billed since 2026-10-01), naming the word that undoes it in the same language.
 */
export const CONSENT_CONFIRMATIONS: Readonly<Record<KeywordLanguage, string>> = {
  en: "Thank you: you'll receive our marketing messages. Reply STOP to stop them.",
  nl: 'Dank je: je ontvangt onze marketingberichten. Antwoord AFMELDEN om ze te stoppen.',
  de: 'Danke: Sie erhalten unsere Werbenachrichten. Antworten Sie STOPP, um sie zu beenden.',
  fr: 'Merci : vous recevrez nos messages marketing. Répondez ARRÊT pour les arrêter.',
  es: 'Gracias: recibirás nuestros mensajes de marketing. Responde BAJA para dejar de recibirlos.',
  it: 'Grazie: riceverai i nostri messaggi di marketing. Rispondi ANNULLA per interromperli.',
  pt: 'Obrigado: você receberá nossas mensagens de marketing. Responda SAIR para pará-las.',
};
