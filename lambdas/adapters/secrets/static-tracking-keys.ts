import type { TrackingKeys } from '../../ports/tracking-keys';
import { appSecretsFrom } from './app-secret-value';

/** A tracking key given directly (the app secret's format): the local stack and tests. */
export class StaticTrackingKeys implements TrackingKeys {
  constructor(private readonly stored: string) {}

  keys(): Promise<string[]> {
    return Promise.resolve(appSecretsFrom(this.stored));
  }
}
