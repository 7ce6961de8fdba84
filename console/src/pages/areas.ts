import type { Area } from './area';
import { automation } from './automation/routes';
import { campaigns } from './campaigns/routes';
import { contacts } from './contacts/routes';
import { overview } from './overview/routes';
import { reports } from './reporting/routes';
import { sends } from './sends/routes';
import { subscribers } from './subscribers/routes';
import { templates } from './templates/routes';

/** The console's areas, in the navigation's order. */
export const AREAS: Area[] = [overview, contacts, subscribers, campaigns, sends, automation, reports, templates];
