import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { WebhookSecrets } from '../../ports/secrets';
import { appSecretsFrom } from './app-secret-value';

/** Cached for 5 minutes per Lambda instance, the Parameters and Secrets extension's default. */
const MAX_AGE_SECONDS = 300;

export class SecretsManagerWebhookSecrets implements WebhookSecrets {
  constructor(
    private readonly appSecretId: string,
    private readonly verifyTokenSecretId: string,
  ) {}

  async appSecrets(): Promise<string[]> {
    return appSecretsFrom(await this.read(this.appSecretId));
  }

  async verifyToken(): Promise<string> {
    return (await this.read(this.verifyTokenSecretId)).trim();
  }

  private async read(id: string): Promise<string> {
    const value = await getSecret(id, { maxAge: MAX_AGE_SECONDS });
    if (typeof value !== 'string') throw new Error('secret is not a string');
    return value;
  }
}
