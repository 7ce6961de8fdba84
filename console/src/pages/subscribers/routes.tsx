import type { Area } from '../area';
import { GrowthPage } from './growth-page';
import { ImportPage } from './import-page';

export const subscribers: Area = {
  label: 'Subscribers',
  path: '/subscribers',
  routes: [
    { path: '/subscribers', component: GrowthPage },
    { path: '/subscribers/import', component: ImportPage },
  ],
};
