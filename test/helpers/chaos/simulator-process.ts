/**
 * The Meta simulator in a process of its own, for the chaos test: it outlives the local stack the
 * test kills, so what each person received is counted where the messages arrived
 * (`GET /_simulator/received`). Configured by the JSON in CHAOS_SIMULATOR; prints `READY <url>`.
 */
import { startMetaSimulator } from '../../../lambdas/local/meta-simulator';
import type { TemplateCategory } from '../../../lambdas/local/meta-simulator';

interface SimulatorConfig {
  appSecret: string;
  tokens: Record<string, string>;
  whatsappNumbers: Record<string, { wabaId: string; displayPhoneNumber: string }>;
  templates: { accountId: string; name: string; language: string; category: TemplateCategory }[];
  throughputPerSecond: number;
}

const main = async (): Promise<void> => {
  const config = JSON.parse(process.env.CHAOS_SIMULATOR ?? '{}') as SimulatorConfig;
  const simulator = await startMetaSimulator({
    appSecret: config.appSecret,
    tokens: config.tokens,
    whatsappNumbers: config.whatsappNumbers,
    throughputPerSecond: config.throughputPerSecond,
  });
  for (const t of config.templates) simulator.setTemplate({ ...t, status: 'APPROVED' });
  process.once('SIGTERM', () => void simulator.close().then(() => process.exit(0)));
  process.stdout.write(`READY ${simulator.url}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`simulator failed to start: ${String(error)}\n`);
  process.exit(1);
});
