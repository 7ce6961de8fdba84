import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Child {
  /** What the child printed after READY: its URL. */
  url: string;
  process: ChildProcess;
  /** A line on the child's stdin. */
  tell(line: string): void;
  /** SIGKILL, as `kill -9`: no handler runs, nothing is flushed. Resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** The child's stderr so far, for a failing test's message. */
  stderr(): string;
}

/** Runs a TypeScript entry (through tsx) in a process of its own and waits for its `READY <url>` line. */
export const startChild = (script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Child> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready: ${stderr}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      const stopWith = async (signal: NodeJS.Signals) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      };
      resolve({
        url: line.slice('READY '.length).trim(),
        process: child,
        tell: (text) => void child.stdin.write(`${text}\n`),
        kill9: () => stopWith('SIGKILL'),
        stop: () => stopWith('SIGTERM'),
        stderr: () => stderr,
      });
    });
  });
