/**
 * Interface under test: what the send path (admin API, sender, Graph client, status webhooks) writes
 * to its logs. Sends under injected faults with the logger at DEBUG; no recipient id, phone number,
 * token or message text may appear in any line.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { PHONE } from '../helpers/sample-ids';
import { captureLogs } from '../helpers/capture-logs';
import { startSendingStack, TOKENS } from '../helpers/sending-stack';

describe('send path logs', () => {
  it('never contain recipient ids, phone numbers, tokens or message text, even when sends fail', async () => {
    // Prepare
    const logs = captureLogs();
    const waIds = Array.from({ length: 40 }, (_, i) => `49171${String(i).padStart(7, '0')}`);
    const secretText = 'Your private order SK-777 ships today';
    const stack = await startSendingStack(
      { seed: 7, faults: { serverErrorRate: 0.3, throttleRate: 0.1, timeoutRate: 0.05 }, throughputPerSecond: 5000, ratePerSecond: 2000 },
      new Logger({ serviceName: 'afterchat-test', logLevel: 'DEBUG' }),
    );
    try {
      // Act
      await stack.openWhatsAppWindows(waIds.slice(0, 30));
      const intent = (waId: string): SendIntent => ({ channel: 'whatsapp', accountId: PHONE, userId: waId, kind: 'reply', author: 'bot', content: { type: 'text', text: secretText } });
      await stack.enqueue(waIds.map((waId) => ({ key: `pii#${waId}`, intent: intent(waId) })));
      await stack.waitUntilDrained();
    } finally {
      await stack.close();
      logs.restore();
    }
    // Assess: something was logged (failures, skips), and none of it is personal
    const output = logs.lines.join('\n');
    expect(output).toContain('send failed');
    const leaks = [...waIds, secretText, ...Object.values(TOKENS)].filter((value) => output.includes(value));
    expect(leaks).toEqual([]);
  }, 120_000);
});
