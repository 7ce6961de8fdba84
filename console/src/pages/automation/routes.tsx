import type { Area } from '../area';
import { AutomationPage } from './automation-page';

export const automation: Area = { label: 'Automation', path: '/automation', routes: [{ path: '/automation', component: AutomationPage }] };
