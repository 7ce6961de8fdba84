import type { Area } from '../area';
import { OverviewPage } from './overview-page';

export const overview: Area = { label: 'Overview', path: '/', routes: [{ path: '/', component: OverviewPage }] };
