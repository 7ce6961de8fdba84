/**
 * `npm run local`: the local stack. Same handlers as in AWS, API Gateway-shaped events, dynalite for
 * DynamoDB. Environment: PORT (3000), META_APP_SECRET, META_VERIFY_TOKEN, DATA_DIR (.local-data/dynamodb);
 * `--memory` keeps data in memory only.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startLocalStack } from '../lambdas/local/local-stack';
import { seedAccounts } from '../lambdas/local/seed-accounts';
import { DEFAULT_APP_SECRET, DEFAULT_VERIFY_TOKEN } from './local-defaults';


const main = async (): Promise<void> => {
  const port = Number(process.env.PORT ?? 3000);
  const appSecret = process.env.META_APP_SECRET ?? DEFAULT_APP_SECRET;
  const verifyToken = process.env.META_VERIFY_TOKEN ?? DEFAULT_VERIFY_TOKEN;
  const inMemory = process.argv.includes('--memory');
  const dataDir = inMemory ? undefined : resolve(process.env.DATA_DIR ?? '.local-data/dynamodb');
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  // The simulator stands in for graph.facebook.com; these tokens are what it accepts for the sample accounts.
  const tokens = { '1234567890123456': 'local-page-token', '17841400000000001': 'local-instagram-token', '109876543210987': 'local-whatsapp-token' };
  const stack = await startLocalStack({
    port,
    appSecret,
    verifyToken,
    dataDir,
    sending: {
      tokens,
      instagramAccounts: ['17841400000000001'],
      whatsappNumbers: { '109876543210987': { wabaId: '102290129340398', displayPhoneNumber: '15550783881' } },
      webhookDelayMs: 500,
    },
    // Finishes what a crash (Ctrl+C mid-campaign, kill -9) left pending: at start, then every 30 s.
    sweeper: {},
  });
  const sending = stack.sending as NonNullable<typeof stack.sending>;
  const accountsFile = resolve(__dirname, '..', 'events', 'admin', 'accounts.json');
  const seeded = await seedAccounts(stack, JSON.parse(readFileSync(accountsFile, 'utf8')) as unknown);
  // Templates Meta lists for the sample accounts (created only "in Meta"): a template sync brings them in.
  sending.simulator.setTemplate({ accountId: '109876543210987', wabaOrPageId: '102290129340398', name: 'order_update', language: 'de', status: 'APPROVED', category: 'UTILITY' });
  sending.simulator.setTemplate({ accountId: '1234567890123456', name: 'order_shipped', language: 'en_US', status: 'APPROVED', category: 'UTILITY' });

  const shown = (value: string, fallback: string) => (value === fallback ? `${value} (default)` : '(from environment)');
  console.log(
    [
      'afterchat local stack is running',
      '',
      `  webhook (callback URL)  ${stack.url}/webhooks/meta`,
      `  admin API               ${stack.url}/admin/...   e.g. ${stack.url}/admin/accounts`,
      `  META_APP_SECRET         ${shown(appSecret, DEFAULT_APP_SECRET)}`,
      `  META_VERIFY_TOKEN       ${shown(verifyToken, DEFAULT_VERIFY_TOKEN)}`,
      `  DynamoDB (dynalite)     ${stack.dynamoEndpoint}, table ${stack.tableName}`,
      `  data                    ${dataDir ?? 'in memory (lost on exit)'}`,
      `  accounts                ${seeded > 0 ? `${seeded} sample accounts registered from events/admin/accounts.json` : 'registry already populated'}`,
      `  send queue (SQS)        ${sending.queues.queueUrl} (DLQ ${sending.queues.dlqUrl})`,
      `  Meta Graph API          simulator at ${sending.simulator.url}, posting signed status webhooks back`,
      `  campaigns               local scheduler (EventBridge cron/rate), ${stack.campaigns.scheduler.rules().length} rules restored; ${stack.url}/local/rules`,
      `  business events         PutEvents at ${stack.url}/local/events; dispatch queue ${stack.queues.dispatchQueueUrl}`,
      '  sweeper                 at start and every 30 s: re-enqueues, ends or resumes work left pending (README "Sweeper")',
      '',
      'Try:',
      `  curl '${stack.url}/webhooks/meta?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(verifyToken)}&hub.challenge=42'`,
      '  npm run send-event -- events/meta/messenger/message-text.json --now',
      `  curl ${stack.url}/admin/contacts/messenger/1234567890123456/6543210987654321`,
      '  npm run sends -- send --channel messenger --account 1234567890123456 --user 6543210987654321 --text "Thanks!" --key reply-1',
      '  npm run campaigns -- apply events/campaigns/weekly-deals-recurring.json && npm run campaigns -- preview weekly-deals',
      '  npm run campaigns -- put-event events/eventbridge/order-shipped.json',
      '  npm run templates -- sync whatsapp 102290129340398   (and: sync messenger 1234567890123456)',
      '',
      'Ctrl+C stops it.',
    ].join('\n'),
  );

  const stop = () => {
    void stack.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main().catch((error: unknown) => {
  console.error('local stack failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
