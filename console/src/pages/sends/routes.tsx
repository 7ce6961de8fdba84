import type { Area } from '../area';
import { SendPage } from './send-page';

export const sends: Area = { label: 'Sends', path: '/sends', routes: [{ path: '/sends', component: SendPage }] };
