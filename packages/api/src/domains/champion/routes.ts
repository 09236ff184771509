import { randomUUID } from 'node:crypto';
import { invalid } from '@phoenix/errors';
import type { PlainRoutes } from '../../http/plain-routes.ts';
import { uploadRoute } from '../../http/upload-route.ts';
import { createFromRecording } from './champions.service.ts';
import { limitChampionUploads } from './limits.ts';
import { createFromTranscriptInput } from './schemas.ts';

const nameField = createFromTranscriptInput.shape.name;

/** `champions/<id>/recording.<ext>`: the champion's id is chosen before the bytes arrive. */
const RECORDING_KEY = /^champions\/([0-9a-f-]{36})\/recording\.[a-z0-9]+$/;

/**
 * `POST /champions/upload` (multipart, field `file`, optional `name`): the one plain door of
 * this domain. The recording streams to storage under the champion's own prefix (so
 * deleting the champion deletes it), then the champion row is written (`uploaded`); the
 * caller starts the analysis with `champions.analyze`.
 */
export const championRoutes: PlainRoutes = {
  path: '/champions',
  mount: (app, deps) =>
    app.post(
      '/champions/upload',
      uploadRoute(deps, {
        maxBytes: deps.config.media.uploadMaxBytes,
        maxInFlight: deps.config.media.uploadsInFlight,
        idleSeconds: deps.config.media.uploadIdleSeconds,
        admit: (caller) => limitChampionUploads(deps, caller.user.id),
        keyFor: ({ type }) => `champions/${randomUUID()}/recording.${type.ext}`,
        onStored: async ({ caller, upload }) => {
          const id = RECORDING_KEY.exec(upload.key)?.[1];
          if (!id) throw new Error(`unexpected recording key ${upload.key}`);
          const fallback = upload.fileName?.replace(/\.[^.]*$/, '') || 'Recording';
          const name = nameField.safeParse(upload.fields.name ?? fallback);
          if (!name.success) {
            throw invalid('The name must be 1 to 200 characters of text', {
              field: 'name',
              reason: 'VALIDATION_FAILED',
            });
          }
          return createFromRecording(deps, {
            userId: caller.user.id,
            id,
            name: name.data,
            recordingKey: upload.key,
          });
        },
      }),
    ),
};
