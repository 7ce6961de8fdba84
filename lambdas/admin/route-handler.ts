/**
 * A route's implementation, typed by its contract entry: it gets the path, query and body as the
 * contract's schemas parsed them, runs one use case, and answers with one of the contract's success
 * bodies (typed by status) or an error (lambdas/http/responses.ts `errorJson`).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import type { HttpResult } from '../http/responses';
import type { AdminDeps } from './admin-api';
import type { AdminContract } from './contract';
import type { ParsedInput, RouteContract, SuccessAnswer } from './contract/route-contract';

export type RouteInput<C extends RouteContract> = ParsedInput<C> & { event: APIGatewayProxyEventV2 };

export interface RouteImpl<C extends RouteContract> {
  /** The body schema this deployment and moment check, when it is narrower than the contract's (a token prefix, the clock). */
  body?: (deps: AdminDeps) => z.ZodType<ParsedInput<C>['body']>;
  handle: (deps: AdminDeps, input: RouteInput<C>) => Promise<SuccessAnswer<C> | HttpResult>;
}

export type AdminRouteImpls = { [K in keyof AdminContract]: RouteImpl<AdminContract[K]> };

/** The handler of the route `K`, e.g. `Handler<'GET /admin/sends/{outboxId}'>`. */
export type Handler<K extends keyof AdminContract> = RouteImpl<AdminContract[K]>['handle'];
