import { openApiDocument } from './contract/openapi';
import type { AdminRouteImpls } from './route-handler';

export const openApiRoutes = {
  'GET /admin/openapi.json': { handle: () => Promise.resolve({ status: 200, body: { ...openApiDocument() } }) },
} satisfies Partial<AdminRouteImpls>;
