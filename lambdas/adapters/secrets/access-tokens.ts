import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { AccountRef } from '../../domain/events';
import type { AccessTokens } from '../../ports/access-tokens';
import type { AccountRegistry } from '../../ports/account-registry';

/**
 * Tokens live in Secrets Manager under the name the account registry holds; cached 5 minutes. The
 * sender's role may only read names under `prefix`: a registration outside it is refused here with
 * a reason, instead of surfacing as IAM's AccessDenied.
 */
export class SecretsManagerAccessTokens implements AccessTokens {
  constructor(
    private readonly accounts: AccountRegistry,
    private readonly prefix: string,
  ) {}

  async tokenFor(ref: AccountRef): Promise<string> {
    const account = await this.accounts.get(ref);
    if (!account) throw new Error(`account ${ref.channel}:${ref.accountId} is not registered`);
    if (!account.tokenSecret.startsWith(this.prefix)) {
      throw new Error(`token secret of ${ref.channel}:${ref.accountId} must be named under ${this.prefix}`);
    }
    const value = await getSecret(account.tokenSecret, { maxAge: 300 });
    if (typeof value !== 'string' || value.trim().length === 0) throw new Error(`token secret of ${ref.channel}:${ref.accountId} is empty`);
    return value.trim();
  }
}

/** Tokens given directly: the local stack (matching the simulator's) and tests. */
export class StaticAccessTokens implements AccessTokens {
  constructor(private readonly tokens: Record<string, string>) {}

  tokenFor(ref: AccountRef): Promise<string> {
    const token = this.tokens[ref.accountId];
    return token ? Promise.resolve(token) : Promise.reject(new Error(`no token for ${ref.channel}:${ref.accountId}`));
  }
}
