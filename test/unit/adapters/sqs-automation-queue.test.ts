/** Interface under test: SqsAutomationQueue, the webhook's hand-off, with a recording SendMessage. */
import { SqsAutomationQueue } from '../../../lambdas/adapters/sqs/automation-queue';
import type { AutomationInbound } from '../../../lambdas/domain/automation/keyword-opt-out';
import { AutomationHandOffSchema, fromHandOff } from '../../../lambdas/schemas/automation-hand-off';

const event = (n: number, idLength = 60): AutomationInbound => ({
  eventKey: `whatsapp#109876543210987#wamid#wamid.${'X'.repeat(idLength)}${n}`,
  occurredAt: 1_780_000_000_000 + n,
  contact: { channel: 'whatsapp', accountId: '109876543210987', userId: String(4915100000000 + n) },
  text: 'STOP',
});

describe('the hand-off to the automation queue', () => {
  it('is one message for a body, Meta’s 1,000 events included; one with unusually long ids is split under 256 KB and loses none', async () => {
    const sent: string[] = [];
    let connects = 0;
    const queue = new SqsAutomationQueue('https://sqs/automation', () => {
      connects += 1;
      return Promise.resolve((_url: string, body: string) => Promise.resolve(void sent.push(body)));
    });
    await queue.handOff([event(1), event(2)]);
    expect(sent).toHaveLength(1);
    await queue.handOff(Array.from({ length: 1000 }, (_, n) => event(n)));
    expect(sent).toHaveLength(2);
    const many = Array.from({ length: 1000 }, (_, n) => event(n, 400));
    await queue.handOff(many);
    expect(connects).toBe(1);
    const split = sent.slice(2);
    expect(split.length).toBeGreaterThan(1);
    for (const body of split) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(256 * 1024);
    expect(split.flatMap((body) => fromHandOff(AutomationHandOffSchema.parse(JSON.parse(body))))).toEqual(many);
  });

  it('a failed connection fails the hand-off and is tried again on the next one', async () => {
    const sent: string[] = [];
    let attempts = 0;
    const queue = new SqsAutomationQueue('https://sqs/automation', () => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(new Error('no SDK')) : Promise.resolve((_url: string, body: string) => Promise.resolve(void sent.push(body)));
    });
    await expect(queue.handOff([event(1)])).rejects.toThrow('no SDK');
    await queue.handOff([event(1)]);
    expect(sent).toHaveLength(1);
  });
});
