import type { ContactRef, WebhookEvent } from '../events';

/** A person stopping marketing, as the funnel's `opted_out` counts it for the message it follows. */
export interface FunnelOptOut {
  contact: ContactRef;
  at: number;
}

/**
 * The opt-out a webhook event reports for the funnel (README "Funnel", opted out): WhatsApp's
 * `user_preferences` marketing stop. A STOP keyword is the other one, and automation decides that
 * (the account's keywords); a resume, or any other event, is none. Pure.
 */
export const funnelOptOut = (event: WebhookEvent): FunnelOptOut | undefined =>
  event.type === 'marketing_preference' && event.value === 'stop' ? { contact: event.contact, at: event.occurredAt } : undefined;
