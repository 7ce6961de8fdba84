/**
 * Interface under test: `npm run demo` as a process (issue 15's acceptance): the campaign's full
 * funnel as the occurrence report gives it — clicked, replied, converted, limited by Meta, billed
 * cost, revenue and ROAS — and the account's responsiveness line, after the demo's people tapped a
 * button, replied, sent STOP, one hit Meta's marketing limit and the shop posted an order.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

const runDemo = (): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'demo'], { cwd: ROOT, env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

/** The demo's `label  value` rows of one step, spaces squeezed: `clicked 1 (click-through rate 16.67 %)`. */
const rowsOf = (stdout: string, step: RegExp): string[] => {
  const start = stdout.search(step);
  const end = stdout.indexOf('\n▸', start + 1);
  return stdout
    .slice(start, end === -1 ? undefined : end)
    .split('\n')
    .slice(1)
    .map((line) => line.trim().replace(/ {2,}/g, ' '))
    .filter((line) => line !== '');
};

describe('npm run demo', () => {
  it('prints the full funnel with clicked, replied, converted, limited by Meta and billed cost, then a responsiveness line', async () => {
    const { code, stdout, stderr } = await runDemo();

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const funnel = rowsOf(stdout, /▸ \d+\. Funnel of occurrence/);
    expect(funnel).toEqual(
      expect.arrayContaining([
        'targeted (audience) 8',
        'skipped when planning: marketing_opted_out 1',
        'enqueued 7',
        'sent 7',
        // Lara's template: accepted, then failed by Meta's per-person marketing limit.
        'delivered 6 (delivery rate 85.71 %)',
        'clicked 1 (click-through rate 16.67 %)',
        // Jonas's answer, Lena's button tap and Paul's STOP each answer their campaign message.
        'replied 3 (reply rate 50 %)',
        'converted 1 (conversion rate 16.67 %)',
        'opted out 1 (opt-out rate 16.67 %)',
        'limited by Meta 1 (131049: 1)',
        'failed 0',
        'estimated cost 0.7917 EUR',
        'billed cost 0.68 EUR (6 billable messages)',
        'revenue 49.9 EUR',
        'ROAS 73.3824× (EUR)',
        '131049: This message was not delivered to maintain healthy ecosystem engagement.',
      ]),
    );
    expect(funnel.some((line) => line.startsWith("note: Meta's webhooks carry no amount"))).toBe(true);
    const [responsiveness] = rowsOf(stdout, /▸ \d+\. An agent answers/).filter((line) => line.startsWith('responsiveness'));
    expect(responsiveness).toMatch(/^responsiveness \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(Europe\/Berlin\): \d+ conversations, 1 answered by a person \(response rate [\d.]+ %\), median first response \d+( min \d+)? s; Messenger's very-responsive badge: no$/);
    expect(stdout).toContain('✓ demo finished');
  }, 180_000);
});
