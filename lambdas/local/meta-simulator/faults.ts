import type { FaultOptions } from './options';

/** A fault that hits before Meta looked at the request: the message is not recorded. */
export type RequestFault = 'server_error' | 'throttle' | 'timeout' | 'drop';

/** A fault that hits after Meta accepted the message: recorded and webhooked, but the client learns nothing. */
export type ConnectionFault = 'timeout' | 'drop';

export interface FaultDraw {
  before?: RequestFault;
  afterAccept?: ConnectionFault;
  latencyMs: number;
  /** For server errors: a bare 503 instead of the 500 Graph error body. */
  bare503: boolean;
}

/**
 * Every request takes the same four numbers from the PRNG whatever happens to it, so a seed replays
 * the same faults for the same sequence of requests even when the rates change which branch runs.
 */
export const drawFaults = (random: () => number, faults: FaultOptions): FaultDraw => {
  const pick = random();
  const afterAccept = random();
  const jitter = random();
  const variant = random();

  const bands: [RequestFault, number | undefined][] = [
    ['server_error', faults.serverErrorRate],
    ['throttle', faults.throttleRate],
    ['timeout', faults.timeoutRate],
    ['drop', faults.dropRate],
  ];
  let upper = 0;
  let before: RequestFault | undefined;
  for (const [fault, rate] of bands) {
    upper += rate ?? 0;
    if (pick < upper) {
      before = fault;
      break;
    }
  }
  return {
    before,
    afterAccept: afterAccept < (faults.afterAcceptRate ?? 0) ? (variant < 0.5 ? 'timeout' : 'drop') : undefined,
    latencyMs: (faults.latencyMs ?? 0) + jitter * (faults.latencyJitterMs ?? 0),
    bare503: variant < 0.5,
  };
};
