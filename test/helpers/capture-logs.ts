/**
 * Collects everything the Powertools logger prints (through console in dev mode, or stdout), so a
 * test can search the output for what must never be logged.
 */
export const captureLogs = (): { lines: string[]; restore(): void } => {
  const lines: string[] = [];
  const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => jest.spyOn(console, m).mockImplementation(capture));
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return {
    lines,
    restore: () => {
      stdout.mockRestore();
      spies.forEach((s) => s.mockRestore());
    },
  };
};
