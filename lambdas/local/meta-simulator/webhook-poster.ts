import { setTimeout as delay } from 'node:timers/promises';
import { signBody } from '../../webhook/signature';
import type { WebhookBuilder } from './outcome';

/** Meta retries "a few more times"; short gaps keep tests fast. */
const RETRY_DELAYS_MS = [50, 200, 500];
/** Meta gives a webhook endpoint 5 s to answer. */
const ANSWER_TIMEOUT_MS = 5_000;

/**
 * Meta signs the escaped-unicode form of the payload (`ä` as `\u00e4`, lower-case hex), so a
 * receiver that re-serialises the parsed JSON fails on accents and emoji. The simulator does the same.
 */
export const metaJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

export interface PosterConfig {
  url?: string;
  appSecret: string;
  delayMs: number;
  clock: () => number;
  /** Aborted by close(): pending delays and requests stop. */
  signal: AbortSignal;
}

/**
 * Posts each accepted message's webhooks in order (echo before delivery before read), signed like
 * Meta. Failures are retried and then dropped: a broken receiver must never crash the simulator.
 */
export class WebhookPoster {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly config: PosterConfig) {}

  schedule(webhooks: readonly WebhookBuilder[]): void {
    if (this.config.url === undefined || webhooks.length === 0) return;
    const run: Promise<void> = this.deliver(this.config.url, webhooks).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Resolves once nothing is pending, including webhooks scheduled while waiting. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async deliver(url: string, webhooks: readonly WebhookBuilder[]): Promise<void> {
    const { signal, delayMs, clock } = this.config;
    try {
      if (delayMs > 0) await delay(delayMs, undefined, { signal });
      for (const build of webhooks) await this.post(url, metaJson(build(clock())));
    } catch {
      // Only close() gets here (an aborted delay or request): the remaining webhooks are dropped.
    }
  }

  private async post(url: string, raw: string): Promise<void> {
    const { signal, appSecret } = this.config;
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt += 1) {
      if (attempt > 0) await delay(RETRY_DELAYS_MS[attempt - 1], undefined, { signal });
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, appSecret), 'user-agent': 'facebookexternalua' },
          body: raw,
          signal: AbortSignal.any([signal, AbortSignal.timeout(ANSWER_TIMEOUT_MS)]),
        });
        await response.arrayBuffer();
        // Anything but 200 counts as a failure to Meta.
        if (response.status === 200) return;
      } catch (error) {
        if (signal.aborted) throw error;
      }
    }
  }
}
