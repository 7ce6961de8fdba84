import type { Area } from '../area';
import { ResponsivenessPage } from './responsiveness-page';
import { SpendPage } from './spend-page';

export const reports: Area = {
  label: 'Reports',
  path: '/reports',
  routes: [
    { path: '/reports', component: ResponsivenessPage },
    { path: '/reports/spend', component: SpendPage },
  ],
};
