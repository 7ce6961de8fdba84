import type { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AutomationInbound } from '../../domain/automation/keyword-opt-out';
import type { AutomationQueue } from '../../ports/automation-queue';
import { toHandOff } from '../../schemas/automation-hand-off';

/**
 * A body's events in as few messages as SQS's 256 KB allows: one for any body (an event takes ~220
 * bytes, so Meta's 1,000 fit), split only if its ids are unusually long.
 */
const MAX_MESSAGE_BYTES = 250 * 1024;

/** Sends one message body to a queue. */
export type SendBody = (queueUrl: string, body: string) => Promise<void>;

/** SendMessage on a client. */
export const sqsSendBody =
  (client: SQSClient, Command: typeof SendMessageCommand): SendBody =>
  async (QueueUrl, MessageBody) => {
    await client.send(new Command({ QueueUrl, MessageBody }));
  };

/**
 * The webhook's hand-off. Its sender is made on the first hand-off: the Lambda loads the SQS SDK
 * then, not at import, since it would add ~20 ms to every cold start of the function Meta waits on
 * and status bodies, the bulk of all webhooks, hand nothing off.
 */
export class SqsAutomationQueue implements AutomationQueue {
  private sendBody?: Promise<SendBody>;

  constructor(
    private readonly queueUrl: string,
    private readonly connect: () => Promise<SendBody>,
  ) {}

  async handOff(events: readonly AutomationInbound[]): Promise<void> {
    this.sendBody ??= this.connect();
    const send = await this.sendBody.catch((error: unknown) => {
      this.sendBody = undefined;
      throw error;
    });
    for (const body of bodies(events)) await send(this.queueUrl, body);
  }
}

const bodies = (events: readonly AutomationInbound[]): string[] => {
  const whole = JSON.stringify(toHandOff(events));
  if (Buffer.byteLength(whole) <= MAX_MESSAGE_BYTES || events.length === 1) return [whole];
  const half = Math.ceil(events.length / 2);
  return [...bodies(events.slice(0, half)), ...bodies(events.slice(half))];
};
