/** Interface under test: the simulator's seeded fault injection (server errors, throttling, timeouts, drops, latency, after-accept faults). */
import type { MetaSimulator, SimulatorOptions } from '../../../lambdas/local/meta-simulator';
import { AD_ACCOUNT, HOUR, PAGE, PHONE, PSID, type Receiver, WA_ID, errorOf, messengerText, post, start, startReceiver, testClock, waText } from './helpers';

type Result = 'ok' | 'server_error' | 'throttle' | 'failed';

describe('meta simulator: faults', () => {
  const clock = testClock();
  const open: MetaSimulator[] = [];

  const simulator = async (options: Partial<SimulatorOptions>): Promise<MetaSimulator> => {
    const sim = await start({ clock: clock.now, pairRateMs: 0, ...options });
    open.push(sim);
    sim.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at: clock.now() - HOUR });
    sim.userMessaged({ channel: 'whatsapp', accountId: PHONE, userId: WA_ID, at: clock.now() - HOUR });
    return sim;
  };

  afterEach(async () => {
    await Promise.all(open.splice(0).map((sim) => sim.close()));
  });

  const attempt = async (sim: MetaSimulator): Promise<Result> => {
    try {
      const answer = await post(sim, PAGE, messengerText(), { signal: AbortSignal.timeout(2_000) });
      if (answer.status === 200) return 'ok';
      if (answer.status >= 500) return 'server_error';
      return errorOf(answer).code === 613 ? 'throttle' : 'failed';
    } catch {
      return 'failed';
    }
  };

  const run = async (sim: MetaSimulator, count: number): Promise<Result[]> => {
    const results: Result[] = [];
    for (let i = 0; i < count; i += 1) results.push(await attempt(sim));
    return results;
  };

  const tally = (results: Result[]) => ({
    ok: results.filter((r) => r === 'ok').length,
    server_error: results.filter((r) => r === 'server_error').length,
    throttle: results.filter((r) => r === 'throttle').length,
    failed: results.filter((r) => r === 'failed').length,
  });

  it('honours the rates over 1,000 requests with a fixed seed, recording only what it answered 200', async () => {
    const sim = await simulator({ seed: 42, faults: { serverErrorRate: 0.1, throttleRate: 0.1, dropRate: 0.05 } });
    const counts = tally(await run(sim, 1_000));

    // Four standard deviations of a binomial(1000, p): the seed makes the run exact, the bound says why it is right.
    expect(Math.abs(counts.server_error - 100)).toBeLessThan(40);
    expect(Math.abs(counts.throttle - 100)).toBeLessThan(40);
    expect(Math.abs(counts.failed - 50)).toBeLessThan(28);
    expect(counts.ok + counts.server_error + counts.throttle + counts.failed).toBe(1_000);
    expect(sim.accepted()).toHaveLength(counts.ok);
    expect(sim.requests()).toBe(1_000);
  });

  it('replays the same faults for the same seed, and others for another seed', async () => {
    const faults = { serverErrorRate: 0.2, throttleRate: 0.2, dropRate: 0.1 };
    const first = await run(await simulator({ seed: 7, faults }), 60);
    const again = await run(await simulator({ seed: 7, faults }), 60);
    const other = await run(await simulator({ seed: 8, faults }), 60);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('answers server errors as a 500 Graph error with is_transient, or a bare 503', async () => {
    const sim = await simulator({ faults: { serverErrorRate: 1 } });
    const answers = await Promise.all(Array.from({ length: 30 }, () => post(sim, PAGE, messengerText())));
    const fiveHundreds = answers.filter((a) => a.status === 500);
    const bare503s = answers.filter((a) => a.status === 503);
    expect(fiveHundreds.length + bare503s.length).toBe(30);
    expect(fiveHundreds.length).toBeGreaterThan(0);
    expect(bare503s.length).toBeGreaterThan(0);
    expect(fiveHundreds[0]?.json).toMatchObject({ error: { code: 2, is_transient: true, type: 'OAuthException' } });
    expect(bare503s.every((a) => a.json === undefined)).toBe(true);
    expect(sim.accepted()).toEqual([]);
  });

  it('throttles WhatsApp with 130429 and Messenger and the Marketing Message API with 613', async () => {
    const sim = await simulator({ faults: { throttleRate: 1 } });
    const whatsapp = await post(sim, PHONE, waText());
    expect(whatsapp.status).toBe(400);
    expect(errorOf(whatsapp)).toMatchObject({ code: 130429, error_data: { messaging_product: 'whatsapp' } });
    expect(errorOf(await post(sim, PAGE, messengerText())).code).toBe(613);
    expect(errorOf(await post(sim, AD_ACCOUNT, {})).code).toBe(613);
  });

  it('holds the connection on a timeout, so the client’s own timeout fires; close() still returns', async () => {
    const sim = await simulator({ faults: { timeoutRate: 1 } });
    const started = Date.now();
    await expect(post(sim, PAGE, messengerText(), { signal: AbortSignal.timeout(150) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(sim.accepted()).toEqual([]);

    const pending = post(sim, PAGE, messengerText()).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sim.close();
    await expect(pending).resolves.toBe('dropped');
  });

  it('destroys the socket on a drop', async () => {
    const sim = await simulator({ faults: { dropRate: 1 } });
    // fetch's errors come from Node's realm, not the test's, so they are matched by name.
    await expect(post(sim, PAGE, messengerText())).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(sim.accepted()).toEqual([]);
  });

  describe('after acceptance', () => {
    let receiver: Receiver;

    beforeEach(async () => {
      receiver = await startReceiver();
    });
    afterEach(() => receiver.close());

    it('records the message and posts its webhooks, but the client gets no answer', async () => {
      const sim = await simulator({ faults: { afterAcceptRate: 1 }, webhookUrl: receiver.url, statuses: ['delivered'] });
      const failures = await Promise.all(
        Array.from({ length: 6 }, () =>
          post(sim, PHONE, waText(), { signal: AbortSignal.timeout(300) }).then(
            () => undefined,
            (error: unknown) => (error as { name?: string }).name,
          ),
        ),
      );
      // Timeouts (the client gives up) and drops (the socket closes) both happen.
      expect(new Set(failures)).toEqual(new Set(['TimeoutError', 'TypeError']));
      expect(sim.accepted()).toHaveLength(6);
      await sim.flushWebhooks();
      expect(receiver.received).toHaveLength(12);
    });
  });

  it('waits latencyMs (plus jitter) before answering', async () => {
    const sim = await simulator({ faults: { latencyMs: 120, latencyJitterMs: 30 } });
    const started = Date.now();
    expect((await post(sim, PAGE, messengerText())).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('applies setFaults to the next request', async () => {
    const sim = await simulator({ faults: { throttleRate: 1 } });
    expect((await post(sim, PAGE, messengerText())).status).toBe(400);
    sim.setFaults({});
    expect((await post(sim, PAGE, messengerText())).status).toBe(200);
    sim.setFaults({ serverErrorRate: 1 });
    expect((await post(sim, PAGE, messengerText())).status).toBeGreaterThanOrEqual(500);
  });
});
