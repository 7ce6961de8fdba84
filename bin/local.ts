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

  const stack = await startLocalStack({ port, appSecret, verifyToken, dataDir });
  const accountsFile = resolve(__dirname, '..', 'events', 'admin', 'accounts.json');
  const seeded = await seedAccounts(stack, JSON.parse(readFileSync(accountsFile, 'utf8')) as unknown);

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
      '',
      'Try:',
      `  curl '${stack.url}/webhooks/meta?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(verifyToken)}&hub.challenge=42'`,
      '  npm run send-event -- events/meta/messenger/message-text.json --now',
      `  curl ${stack.url}/admin/contacts/messenger/1234567890123456/6543210987654321`,
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
