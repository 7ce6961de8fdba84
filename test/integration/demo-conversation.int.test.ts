/**
 * Interface under test: `npm run demo -- conversation` as a process: the demo's conversation on the
 * embedded local stack with the Meta simulator, where each automated reply is printed as Meta
 * received it, with its rule, and then what automation sent per rule and its estimated cost.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEMO_AUTOMATION, DEMO_WRITER } from '../../bin/demo/conversation';
import { CONFIRMATIONS } from '../../lambdas/domain/automation/confirmations';
import { HANDOFF_ACKNOWLEDGEMENTS } from '../../lambdas/domain/automation/handoff-texts';

const ROOT = join(__dirname, '..', '..');

const runDemo = (): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'demo', '--', 'conversation'], { cwd: ROOT, env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

/** The lines of the conversation: what the person wrote, and what came back. */
const conversationOf = (stdout: string): string[] =>
  stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('→') || line.startsWith('←'))
    .map((line) => line.replace(/ after \d+\.\d s:/, ':'));

describe('npm run demo -- conversation', () => {
  it('shows a greeting, the STOP and START confirmations, the handoff acknowledgement, then silence, and the usage per rule', async () => {
    const { code, stdout, stderr } = await runDemo();

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(conversationOf(stdout)).toEqual([
      `→ ${DEMO_WRITER.name}: "Hallo!"`,
      `← bot [greeting]: "${(DEMO_AUTOMATION.greeting?.texts.en ?? '').replace('{firstName}', DEMO_WRITER.name)}"`,
      `→ ${DEMO_WRITER.name}: "STOP"`,
      `← bot [keyword]: "${CONFIRMATIONS.en.stop}"`,
      `→ ${DEMO_WRITER.name}: "START"`,
      `← bot [keyword]: "${CONFIRMATIONS.en.start}"`,
      `→ ${DEMO_WRITER.name}: "agent"`,
      `← bot [handoff]: "${HANDOFF_ACKNOWLEDGEMENTS.en}"`,
      `→ ${DEMO_WRITER.name}: "Are you still there?"`,
      '← nothing sent',
    ]);
    expect(stdout).toContain('handoff.requested on the business bus');
    expect(stdout).toMatch(/\d{4}-\d{2}-\d{2} greeting +1 sent, 0 refused, 0\.0456 EUR/);
    expect(stdout).toMatch(/\d{4}-\d{2}-\d{2} handoff +1 sent, 0 refused, 0\.0456 EUR/);
    expect(stdout).toMatch(/\d{4}-\d{2}-\d{2} keyword +2 sent, 0 refused, 0\.0912 EUR/);
    expect(stdout).toMatch(/total +4 sent, 0 refused, 0\.1824 EUR/);
    expect(stdout).toContain('priced at whatsapp.DE.service.2026-10: 0.0456 EUR a message from 2026-10-01, unconfirmed');
    expect(stdout).toContain('✓ demo finished');
  }, 90_000);
});
