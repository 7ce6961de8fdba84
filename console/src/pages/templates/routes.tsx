import type { Area } from '../area';
import { TemplatesPage } from './templates-page';

export const templates: Area = { label: 'Templates', path: '/templates', routes: [{ path: '/templates', component: TemplatesPage }] };
