// The package's `./http` entry: like `src/index.ts`, an entry may name the composition root.
import type { AppDeps } from '../context.ts';
import { appRouter, appRoutes } from '../root.ts';
import { type AppState, buildHttpApp } from './app.ts';
import type { HttpApp } from './plain-routes.ts';

export { type Listening, listen } from './listen.ts';
export { createLogger } from './logger.ts';
export type { AppState, HttpApp };

/** The hub's HTTP app: tRPC, health, metrics and every domain's plain routes. */
export function createHttpApp(deps: AppDeps, state?: AppState): HttpApp {
  return buildHttpApp(deps, { router: appRouter, routes: appRoutes }, state);
}
