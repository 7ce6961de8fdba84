/** Time is injected everywhere so tests never sleep and never depend on the wall clock. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
