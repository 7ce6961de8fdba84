import { ADMIN_ROUTE_ACCESS, type AccessLevel } from '../../../lib/access-levels';
import { contractRoutes } from './index';
import { type RouteContract, type RouteKey, splitKey, templateNames } from './route-contract';

export interface ContractRoute {
  key: RouteKey;
  route: RouteContract;
  method: string;
  template: string;
  /** Matches an encoded request path: each `{name}` one segment. */
  pattern: RegExp;
  names: string[];
}

const patternOf = (template: string): RegExp => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)')}$`);

const ROUTES: ContractRoute[] = contractRoutes().map(([key, route]) => {
  const { method, path } = splitKey(key);
  return { key, route, method, template: path, pattern: patternOf(path), names: templateNames(path) };
});

/** The contract's routes whose template matches an encoded path, whatever their method. */
export const routesAt = (path: string): ContractRoute[] => ROUTES.filter((r) => r.pattern.test(path));

/** The contract route a request is for, if any, and its path parameters, still encoded. */
export const matchRoute = (method: string, path: string): { route: ContractRoute; params: Record<string, string> } | undefined => {
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (match) return { route, params: Object.fromEntries(route.names.map((name, i) => [name, String(match[i + 1])])) };
  }
  return undefined;
};

export const contractRoute = (key: string): ContractRoute | undefined => ROUTES.find((r) => r.key === key);

/** The lowest level that may call the route, as the IAM policies grant it (lib/access-levels.ts). */
export const accessOf = (key: RouteKey): AccessLevel | undefined => {
  const { method, path } = splitKey(key);
  return ADMIN_ROUTE_ACCESS.find((row) => row.method === method && row.path === path)?.level;
};
