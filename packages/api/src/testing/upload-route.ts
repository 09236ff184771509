import { randomUUID } from 'node:crypto';
import type { PlainRoutes } from '../http/plain-routes.ts';
import { uploadRoute } from '../http/upload-route.ts';

/** Where the test door listens; the lead mounts the real one at `/champions/upload`. */
export const TEST_UPLOAD_PATH = '/test-uploads';

/**
 * A plain route over `uploadRoute` that stores under `uploads/<user>/` and answers what was
 * stored: the upload door under test, and a target for the SDK helper and the benchmark.
 */
export const testUploadRoutes: PlainRoutes = {
  path: TEST_UPLOAD_PATH,
  mount: (app, deps) =>
    app.post(
      TEST_UPLOAD_PATH,
      uploadRoute(deps, {
        maxBytes: deps.config.media.uploadMaxBytes,
        maxInFlight: deps.config.media.uploadsInFlight,
        idleSeconds: deps.config.media.uploadIdleSeconds,
        keyFor: ({ caller, type }) => `uploads/${caller.user.id}/${randomUUID()}.${type.ext}`,
        onStored: async ({ upload, caller }) => ({ ...upload, userId: caller.user.id }),
      }),
    ),
};
