/**
 * Interface under test: what the webhook writes to its logs. Every sample is posted with the logger
 * at DEBUG; no user id, phone number, token or message text may appear in any line.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { signBody } from '../../lambdas/webhook/signature';
import { listEvents, loadEvent, loadEventText } from '../helpers/events';
import { captureLogs } from '../helpers/capture-logs';
import { startTestStack } from '../helpers/local-stack';

/** Values in the samples that identify a person or a credential, collected from their fields. */
const SENSITIVE_KEYS = new Set([
  'wa_id',
  'from',
  'recipient_id',
  'user_id',
  'from_user_id',
  'notification_messages_token',
  'messenger_subscription_token',
  'body',
  'text',
  'phone',
]);

const sensitiveValues = (value: unknown, found = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) value.forEach((v) => sensitiveValues(v, found));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'sender' || key === 'recipient') && v && typeof v === 'object' && 'id' in v) found.add(String((v as { id: unknown }).id));
      if (SENSITIVE_KEYS.has(key) && typeof v === 'string' && v.length >= 6) found.add(v);
      sensitiveValues(v, found);
    }
  }
  return found;
};

describe('logs', () => {
  it('never contain user ids, phone numbers, tokens or message text', async () => {
    // Prepare: capture everything the logger prints
    const logs = captureLogs();
    const stack = await startTestStack({ logger: new Logger({ serviceName: 'afterchat-test', logLevel: 'DEBUG' }) });
    const samples = listEvents('meta');
    const pageIds = new Set(['1234567890123456', '17841400000000001']);
    const secrets = [...new Set(samples.flatMap((p) => [...sensitiveValues(loadEvent(p))]))].filter((v) => !pageIds.has(v));
    try {
      // Act: every sample, plus the failure paths that log
      for (const path of samples) await stack.post(loadEventText(path));
      await stack.post(loadEventText('meta/messenger/message-text.json'), { signature: signBody('x', 'wrong') });
      await stack.post('{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"6543210987654321"},"mystery":1}]}]}');
    } finally {
      await stack.close();
      logs.restore();
    }
    // Assess
    expect(secrets.length).toBeGreaterThan(10);
    expect(logs.lines.join('\n')).toContain('webhook processed');
    const leaks = secrets.filter((value) => logs.lines.some((line) => line.includes(value)));
    expect(leaks).toEqual([]);
  });
});
