import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack';
import { seedAccounts } from '../../lambdas/local/seed-accounts';
import type { Clock } from '../../lambdas/domain/clock';
import type { LocalSettings } from './settings';

/** The sample accounts the files in events/ are addressed to, registered when the registry is empty. */
const ACCOUNTS_FILE = resolve(__dirname, '..', '..', 'events', 'admin', 'accounts.json');

/**
 * The local stack as `npx afterchat local` runs it: the sample accounts registered, the simulator
 * holding the tokens they use and three templates afterchat learns only by a template sync (the
 * sample campaign's `weekly_deals` among them).
 */
export const startAfterchatLocal = async (settings: LocalSettings, options: { clock?: Clock } = {}): Promise<{ stack: LocalStack; seeded: number }> => {
  if (settings.dataDir) mkdirSync(settings.dataDir, { recursive: true });
  // The simulator stands in for graph.facebook.com; these tokens are what it accepts for the sample accounts.
  const tokens = { '1234567890123456': 'local-page-token', '17841400000000001': 'local-instagram-token', '109876543210987': 'local-whatsapp-token' };
  const stack = await startLocalStack({
    port: settings.port,
    appSecret: settings.appSecret,
    verifyToken: settings.verifyToken,
    dataDir: settings.dataDir,
    // Tests run the walk-through at other dates; the command itself runs on the system clock.
    clock: options.clock,
    sending: {
      tokens,
      instagramAccounts: ['17841400000000001'],
      whatsappNumbers: { '109876543210987': { wabaId: '102290129340398', displayPhoneNumber: '15550783881' } },
      webhookDelayMs: 500,
    },
    // Finishes what a crash (Ctrl+C mid-campaign, kill -9) left pending: at start, then every 30 s.
    sweeper: {},
  });
  try {
    const seeded = await seedAccounts(stack, JSON.parse(readFileSync(ACCOUNTS_FILE, 'utf8')) as unknown);
    const simulator = (stack.sending as NonNullable<LocalStack['sending']>).simulator;
    simulator.setTemplate({ accountId: '109876543210987', wabaOrPageId: '102290129340398', name: 'order_update', language: 'de', status: 'APPROVED', category: 'UTILITY' });
    simulator.setTemplate({ accountId: '109876543210987', wabaOrPageId: '102290129340398', name: 'weekly_deals', language: 'de', status: 'APPROVED', category: 'MARKETING' });
    simulator.setTemplate({ accountId: '1234567890123456', name: 'order_shipped', language: 'en_US', status: 'APPROVED', category: 'UTILITY' });
    return { stack, seeded };
  } catch (error) {
    await stack.close();
    throw error;
  }
};
