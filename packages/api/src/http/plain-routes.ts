import type { HttpBindings } from '@hono/node-server';
import type { AnyTRPCRouter } from '@trpc/server';
import type { Hono } from 'hono';
import type { AppDeps } from '../context.ts';
import type { HttpVariables } from './variables.ts';

export type HttpApp = Hono<{ Bindings: HttpBindings; Variables: HttpVariables }>;

/**
 * A domain's plain HTTP doors (OpenAI-compatible API, exports, webhooks): its `routes.ts`
 * exports one, `root.ts` lists them, and the app mounts each under `path`.
 */
export interface PlainRoutes {
  path: `/${string}`;
  /** Refuse bodies over BODY_LIMIT_BYTES before the handler runs (routes that take bodies). */
  limitBody?: boolean;
  /** Adds the routes to the app under `path` (`app.route(path, ...)`). */
  mount(app: HttpApp, deps: AppDeps): void;
}

/** What the core serves, handed to it by the composition root (`root.ts`). */
export interface HubSurface {
  router: AnyTRPCRouter;
  routes: readonly PlainRoutes[];
}
