/** The webhook's secrets. Implementations cache; values never reach logs. */
export interface WebhookSecrets {
  /** The app secret(s) that may have signed a webhook: the current one, and the previous one while rotating. */
  appSecrets(): Promise<string[]>;
  verifyToken(): Promise<string>;
}
