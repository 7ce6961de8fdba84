/**
 * The CPU time of the code under test, apart from the emulators it shares this process with. V8's
 * sampling profiler (node:inspector) records a stack every 0.5 ms; each sample is attributed by its
 * innermost frame that says whose work it is:
 *
 * - emulator: dynalite and its leveldb, the SQS emulator, the Meta simulator, Node's HTTP server;
 * - harness: this bench (bin/) and its virtual clock (test/helpers/);
 * - app: the Lambda code (lambdas/), the AWS SDK, Powertools, zod, Node's HTTP client — what a
 *   Lambda instance would spend CPU on.
 *
 * Node internals and other packages say nothing on their own: the frame above them decides; a
 * stack nothing classifies (V8's microtask runner, a socket write), garbage collection and
 * `(program)` are shared out in proportion. The result is the app's CPU
 * milliseconds on this machine (not Lambda's: bench-scale scales it by the function's vCPU share).
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface CpuSplit {
  appMs: number;
  emulatorMs: number;
  harnessMs: number;
  idleMs: number;
}

const EMULATOR = [
  /node_modules\/(dynalite|memdown|levelup|leveldown|abstract-leveldown|level-[^/]+|encoding-down|deferred-leveldown|subleveldown|lazy|local-aws-sqs|aws-query-decoder|aws-md5-of-message-attributes|big\.js|async)\//,
  /\/lambdas\/local\//,
  /^node:_http_server$/,
];
const HARNESS = [/\/bin\//, /\/test\/helpers\//];
const APP = [/\/lambdas\//, /node_modules\/(@aws-sdk|@smithy|@aws-lambda-powertools|@aws-crypto|zod|libphonenumber-js|@middy)\//, /^node:_http_client$/];

type Owner = 'app' | 'emulator' | 'harness' | 'idle' | 'shared';

const ownerOfFrame = (url: string, functionName: string): Owner | undefined => {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)' || functionName === '(program)') return 'shared';
  if (EMULATOR.some((r) => r.test(url))) return 'emulator';
  if (HARNESS.some((r) => r.test(url))) return 'harness';
  if (APP.some((r) => r.test(url))) return 'app';
  return undefined;
};

const split = (profile: Profile): CpuSplit => {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const owners = new Map<number, Owner>();
  const ownerOf = (id: number): Owner => {
    const known = owners.get(id);
    if (known !== undefined) return known;
    // Nothing says whose (the microtask runner, a socket write, JSON.parse at the root): shared out.
    let owner: Owner = 'shared';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      const found = node ? ownerOfFrame(node.callFrame.url, node.callFrame.functionName) : undefined;
      if (found !== undefined) {
        owner = found;
        break;
      }
    }
    owners.set(id, owner);
    return owner;
  };
  const us: Record<Owner, number> = { app: 0, emulator: 0, harness: 0, idle: 0, shared: 0 };
  profile.samples.forEach((id, i) => {
    // A sample's delta is the time since the one before: the stack ran for (about) that long.
    us[ownerOf(id)] += profile.timeDeltas[i] ?? 0;
  });
  if (process.env.BENCH_PROFILE_TOP) {
    const byUrl = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      if (ownerOf(id) !== (process.env.BENCH_PROFILE_OWNER ?? 'app')) return;
      const node = byId.get(id);
      const url = `${(node?.callFrame.url ?? '').replace(/.*node_modules\//, '').split('/').slice(0, 2).join('/')} ${node?.callFrame.functionName ?? ''}`;
      byUrl.set(url, (byUrl.get(url) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    const top = [...byUrl].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.BENCH_PROFILE_TOP));
    process.stderr.write(`app self time by frame:\n${top.map(([u, t]) => `  ${(t / 1000).toFixed(0)} ms ${u}`).join('\n')}\n`);
  }
  const busy = us.app + us.emulator + us.harness;
  const share = (n: number) => (busy === 0 ? 0 : n + (us.shared * n) / busy);
  return { appMs: share(us.app) / 1000, emulatorMs: share(us.emulator) / 1000, harnessMs: share(us.harness) / 1000, idleMs: us.idle / 1000 };
};

export const startCpuProfile = async (): Promise<{ stop(): Promise<CpuSplit> }> => {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
      await session.post('Profiler.disable');
      session.disconnect();
      return split(profile);
    },
  };
};
