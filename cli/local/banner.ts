import type { LocalStack } from '../../lambdas/local/local-stack';
import { DEFAULT_LOCAL_PORT } from '../client/target';
import { DEFAULT_APP_SECRET, DEFAULT_VERIFY_TOKEN } from './local-defaults';
import type { LocalSettings } from './settings';

/** Where the running stack's parts are. */
export interface LocalFacts {
  url: string;
  dynamoEndpoint: string;
  tableName: string;
  queueUrl: string;
  dlqUrl: string;
  dispatchQueueUrl: string;
  simulatorUrl: string;
  rules: number;
  seeded: number;
}

export const localFacts = (stack: LocalStack, seeded: number): LocalFacts => ({
  url: stack.url,
  dynamoEndpoint: stack.dynamoEndpoint,
  tableName: stack.tableName,
  queueUrl: stack.queues.queueUrl,
  dlqUrl: stack.queues.dlqUrl,
  dispatchQueueUrl: stack.queues.dispatchQueueUrl,
  simulatorUrl: stack.sending?.simulator.url ?? '(none)',
  rules: stack.campaigns.scheduler.rules().length,
  seeded,
});

/**
 * What `afterchat local` prints at start: where everything is, and commands to try, with the port
 * the stack really listens on (a CLI in another terminal only finds a non-default port through
 * AFTERCHAT_URL).
 */
export const localBanner = (stack: LocalFacts, settings: LocalSettings): string => {
  const shown = (value: string, fallback: string) => (value === fallback ? `${value} (default)` : '(from environment)');
  const port = new URL(stack.url).port;
  return [
    'afterchat local stack is running',
    '',
    `  webhook (callback URL)  ${stack.url}/webhooks/meta`,
    `  admin API               ${stack.url}/admin/...   e.g. ${stack.url}/admin/accounts`,
    `  web console             ${stack.url}/console/`,
    `  META_APP_SECRET         ${shown(settings.appSecret, DEFAULT_APP_SECRET)}`,
    `  META_VERIFY_TOKEN       ${shown(settings.verifyToken, DEFAULT_VERIFY_TOKEN)}`,
    `  DynamoDB (dynalite)     ${stack.dynamoEndpoint}, table ${stack.tableName}`,
    `  data                    ${settings.dataDir ?? 'in memory (lost on exit)'}`,
    `  accounts                ${stack.seeded > 0 ? `${stack.seeded} sample accounts registered from events/admin/accounts.json` : 'registry already populated'}`,
    `  send queue (SQS)        ${stack.queueUrl} (DLQ ${stack.dlqUrl})`,
    `  Meta Graph API          simulator at ${stack.simulatorUrl}, posting signed status webhooks back`,
    `  campaigns               local scheduler (EventBridge cron/rate), ${stack.rules} rules restored; ${stack.url}/local/rules`,
    `  business events         PutEvents (POST) and what the bus got (GET) at ${stack.url}/local/events; dispatch queue ${stack.dispatchQueueUrl}`,
    '  sweeper                 at start and every 30 s: re-enqueues, ends or resumes work left pending (README "Sweeper")',
    '',
    'Try, in another terminal (`npx afterchat --help` lists every command):',
    ...(port === String(DEFAULT_LOCAL_PORT) ? [] : [`  export AFTERCHAT_URL=${stack.url}`]),
    `  curl '${stack.url}/webhooks/meta?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(settings.verifyToken)}&hub.challenge=42'`,
    '  npx afterchat send-event events/meta/messenger/message-text.json --now',
    '  npx afterchat contacts show messenger 1234567890123456 6543210987654321',
    '  npx afterchat sends send --channel messenger --account 1234567890123456 --user 6543210987654321 --text "Thanks!" --key reply-1',
    '  npx afterchat campaigns apply events/campaigns/weekly-deals-recurring.json && npx afterchat campaigns preview weekly-deals',
    '  npx afterchat campaigns put-event events/eventbridge/order-shipped.json --follow',
    '  npx afterchat templates sync whatsapp 102290129340398   (and: templates sync messenger 1234567890123456)',
    '',
    'Ctrl+C stops it.',
  ].join('\n');
};
