// The package's `./http` entry: like `src/index.ts`, an entry may name the composition root.
import type { AppDeps } from '../context.ts';
import { appRouter, appRoutes } from '../root.ts';
import { type AppState, buildHttpApp } from './app.ts';
import type { HttpApp, PlainRoutes } from './plain-routes.ts';

export { type Listening, listen, requestTimeoutFor } from './listen.ts';
export { createLogger } from './logger.ts';
export type { PlainRoutes } from './plain-routes.ts';
export {
  AUDIO_VIDEO_EXTENSIONS,
  type ReceivedUpload,
  receiveUpload,
  type SniffedType,
  type UploadOptions,
} from './upload.ts';
export { type UploadRouteOptions, uploadRoute } from './upload-route.ts';
export type { AppState, HttpApp };

/**
 * The hub's HTTP app: tRPC, health, metrics and every domain's plain routes (and `extra`
 * ones: a benchmark's or a test's door).
 */
export function createHttpApp(
  deps: AppDeps,
  state?: AppState,
  extra: readonly PlainRoutes[] = [],
): HttpApp {
  return buildHttpApp(deps, { router: appRouter, routes: [...appRoutes, ...extra] }, state);
}
