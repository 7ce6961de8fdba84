import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { TrackingKeys } from '../../ports/tracking-keys';
import { appSecretsFrom } from './app-secret-value';

/** Cached for 5 minutes per Lambda instance, as the webhook's secrets. */
const MAX_AGE_SECONDS = 300;

/**
 * The tracking key in Secrets Manager: the plain value, or while rotating it
 * `{"current": "...", "previous": "..."}` (the app secret's format), so older links still verify.
 */
export class SecretsManagerTrackingKeys implements TrackingKeys {
  constructor(private readonly secretId: string) {}

  async keys(): Promise<string[]> {
    const value = await getSecret(this.secretId, { maxAge: MAX_AGE_SECONDS });
    if (typeof value !== 'string') throw new Error('the tracking key secret is not a string');
    const keys = appSecretsFrom(value);
    if (!keys[0]) throw new Error('the tracking key secret is empty');
    return keys;
  }
}
