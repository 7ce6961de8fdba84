/** Interface under test: SecretsManagerAccessTokens' refusals before any Secrets Manager call. */
import { SecretsManagerAccessTokens } from '../../../lambdas/adapters/secrets/access-tokens';
import { FixedAccounts } from '../../helpers/recording-store';

const account = { channel: 'whatsapp' as const, accountId: '109876543210987', displayName: 'Shop', timezone: 'UTC' };

describe('SecretsManagerAccessTokens', () => {
  it('refuses a token secret outside the prefix the sender may read, naming the prefix', async () => {
    const tokens = new SecretsManagerAccessTokens(new FixedAccounts([{ ...account, tokenSecret: 'shop/whatsapp-token' }]), 'afterchat/prod/tokens/');
    await expect(tokens.tokenFor(account)).rejects.toThrow('token secret of whatsapp:109876543210987 must be named under afterchat/prod/tokens/');
  });

  it('refuses an unregistered account', async () => {
    const tokens = new SecretsManagerAccessTokens(new FixedAccounts([]), 'afterchat/prod/tokens/');
    await expect(tokens.tokenFor(account)).rejects.toThrow('is not registered');
  });
});
