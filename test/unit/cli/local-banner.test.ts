/** The local stack's banner: the commands it suggests reach the stack on the port it really listens on. */
import { localBanner, type LocalFacts } from '../../../cli/local/banner';
import { localSettings } from '../../../cli/local/settings';

const facts = (port: number): LocalFacts => ({
  url: `http://127.0.0.1:${port}`,
  dynamoEndpoint: 'http://127.0.0.1:40001',
  tableName: 'afterchat-local-state',
  queueUrl: 'http://127.0.0.1:40002/123456789012/afterchat-send',
  dlqUrl: 'http://127.0.0.1:40002/123456789012/afterchat-send-dlq',
  dispatchQueueUrl: 'http://127.0.0.1:40002/123456789012/afterchat-dispatch',
  simulatorUrl: 'http://127.0.0.1:40003',
  rules: 0,
  seeded: 3,
});

describe('the local banner', () => {
  it('on another port, tells the CLI where the stack is before any command, and no line names 3000', () => {
    const banner = localBanner(facts(3917), localSettings({ PORT: '3917' }, '/repo', { memory: true }));
    const tries = banner.slice(banner.indexOf('Try'));
    expect(tries.split('\n')[1]).toBe('  export AFTERCHAT_URL=http://127.0.0.1:3917');
    expect(tries).toContain("curl 'http://127.0.0.1:3917/webhooks/meta?hub.mode=subscribe&hub.verify_token=local-verify-token&hub.challenge=42'");
    expect(tries).toContain('  npx afterchat send-event events/meta/messenger/message-text.json --now');
    expect(banner).not.toContain(':3000');
  });

  it('on 3000, needs no export: the CLI finds it there', () => {
    const banner = localBanner(facts(3000), localSettings({}, '/repo', { memory: true }));
    expect(banner).not.toContain('AFTERCHAT_URL');
    expect(banner).toContain('  admin API               http://127.0.0.1:3000/admin/...');
    expect(banner).toContain('  web console             http://127.0.0.1:3000/console/');
  });

  it('says where data lives and which secrets are in use', () => {
    const banner = localBanner(facts(3000), localSettings({ META_APP_SECRET: 's3cret', DATA_DIR: 'data' }, '/repo', { memory: false }));
    expect(banner).toContain('  META_APP_SECRET         (from environment)');
    expect(banner).toContain('  META_VERIFY_TOKEN       local-verify-token (default)');
    expect(banner).toContain('  data                    /repo/data');
  });
});
