import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const EVENTS_DIR = join(__dirname, '..', '..', 'events');

/** A sample webhook body from events/, e.g. `loadEvent('meta/messenger/message-text.json')`. */
export const loadEvent = <T = Record<string, unknown>>(path: string): T =>
  JSON.parse(readFileSync(join(EVENTS_DIR, path), 'utf8')) as T;

export const loadEventText = (path: string): string => readFileSync(join(EVENTS_DIR, path), 'utf8');

/** Every .json file below events/<folder>, as paths relative to events/. */
export const listEvents = (folder: string): string[] => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.json') ? [join(dir, d.name)] : [],
    );
  return walk(join(EVENTS_DIR, folder))
    .map((p) => relative(EVENTS_DIR, p))
    .sort();
};
