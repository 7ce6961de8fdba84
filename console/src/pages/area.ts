import type { ComponentType } from 'react';

/**
 * One area of the console (Contacts, Campaigns…): its entry in the navigation and its routes
 * (wouter patterns under /console, e.g. `/contacts/:channel/:accountId/:userId`).
 */
export interface Area {
  label: string;
  path: string;
  routes: { path: string; component: ComponentType }[];
}
