/** Interface under test: subscriptionChallenge, Meta's GET verification handshake. */
import { subscriptionChallenge } from '../../../lambdas/webhook/subscription';

const TOKEN = 'verify-me';

describe('subscriptionChallenge', () => {
  it('echoes the challenge for subscribe with the right token', () => {
    expect(subscriptionChallenge({ 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN, 'hub.challenge': '1158201444' }, TOKEN)).toBe(
      '1158201444',
    );
  });

  it.each([
    ['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' }],
    ['a token that is a prefix', { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify', 'hub.challenge': '1' }],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': TOKEN, 'hub.challenge': '1' }],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN }],
    ['no parameters', {}],
  ])('refuses %s', (_case, query: Record<string, string>) => {
    expect(subscriptionChallenge(query, TOKEN)).toBeUndefined();
  });

  it('refuses everything while no verify token is configured', () => {
    expect(subscriptionChallenge({ 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1' }, '')).toBeUndefined();
  });
});
