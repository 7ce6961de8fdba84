import type { WebhookSecrets } from '../../ports/secrets';
import { appSecretsFrom } from './app-secret-value';

/** Secrets given directly: the local stack (from META_APP_SECRET / META_VERIFY_TOKEN) and tests. */
export class StaticWebhookSecrets implements WebhookSecrets {
  constructor(
    private readonly appSecret: string,
    private readonly token: string,
  ) {}

  appSecrets(): Promise<string[]> {
    return Promise.resolve(appSecretsFrom(this.appSecret));
  }

  verifyToken(): Promise<string> {
    return Promise.resolve(this.token);
  }
}
