import type { Area } from './area';
import { overview } from './overview/routes';

/** The console's areas, in the navigation's order. */
export const AREAS: Area[] = [overview];
