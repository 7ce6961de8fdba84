import type { Click, ClickLog } from '../../ports/click-log';

/** Clicks in memory, for tests: the list in the order they were added. */
export class InMemoryClickLog implements ClickLog {
  readonly clicks: Click[] = [];

  add(click: Click): Promise<void> {
    this.clicks.push(structuredClone(click));
    return Promise.resolve();
  }
}
