import type { Area } from '../area';
import { ContactPage } from './contact-page';
import { ContactSearchPage } from './contact-search-page';

export const contacts: Area = {
  label: 'Contacts',
  path: '/contacts',
  routes: [
    { path: '/contacts', component: ContactSearchPage },
    { path: '/contacts/:channel/:accountId/:userId', component: ContactPage },
  ],
};
