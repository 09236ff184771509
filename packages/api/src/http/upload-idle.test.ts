import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type HeldUpload, heldUpload, type UploadAnswer } from '../testing/held-upload.ts';
import { signUp, startTestServer, type TestServer } from '../testing/index.ts';
import { synthesizeMedia } from '../testing/media.ts';
import { postUpload, storedFiles, uploadsInFlight } from '../testing/upload-door.ts';
import type { PlainRoutes } from './plain-routes.ts';
import { uploadRoute } from './upload-route.ts';

// The real champion door, with a one-second idle deadline and one upload in flight (so the
// next upload passing shows the slot was freed).
const DOOR = '/champions/upload';
const IDLE_SECONDS = 1;

/**
 * A door that outlasts the idle deadline itself, twice: in `admit`, before it reads a byte of
 * the body, and in its recording step, after the whole body arrived.
 */
const SLOW_DOOR = '/test-uploads-slow';
const slowRoutes: PlainRoutes = {
  path: SLOW_DOOR,
  mount: (app, deps) =>
    app.post(
      SLOW_DOOR,
      uploadRoute(deps, {
        maxBytes: deps.config.media.uploadMaxBytes,
        maxInFlight: deps.config.media.uploadsInFlight,
        idleSeconds: deps.config.media.uploadIdleSeconds,
        admit: () => sleep(IDLE_SECONDS * 1000 + 500),
        keyFor: ({ caller, type }) => `slow/${caller.user.id}.${type.ext}`,
        onStored: async ({ upload }) => {
          await sleep(IDLE_SECONDS * 1000 + 500);
          return { bytes: upload.bytes };
        },
      }),
    ),
};

let server: TestServer;
let token: string;
let dir: string;
let wav: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phoenix-upload-idle-test-'));
  server = await startTestServer({
    env: {
      CHAMPION_UPLOAD_IDLE_SECONDS: String(IDLE_SECONDS),
      CHAMPION_UPLOADS_IN_FLIGHT: '1',
      // The deadline for small bodies, shorter than the steady upload below takes in all:
      // that upload passing shows the door is not held to it.
      HTTP_REQUEST_TIMEOUT_SECONDS: String(IDLE_SECONDS),
      CHAMPION_UPLOAD_MAX_BYTES: '2000000',
      CHAMPION_UPLOADS_PER_HOUR: '100',
    },
    routes: [slowRoutes],
  });
  ({ token } = await signUp(server, { label: 'idle-uploader' }));
  await synthesizeMedia({ path: join(dir, 'call.wav'), kind: 'wav', seconds: 2 });
  wav = await readFile(join(dir, 'call.wav'));
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const stored = (): Promise<string[]> => storedFiles(server);

const inFlight = (): Promise<number> => uploadsInFlight(server, DOOR);

const upload = (path = DOOR): Promise<UploadAnswer> =>
  postUpload({
    url: `${server.url}${path}`,
    file: wav,
    headers: { authorization: `Bearer ${token}` },
  });

const holdUpload = (contentType?: string): HeldUpload =>
  heldUpload({
    url: `${server.url}${DOOR}`,
    token,
    file: wav,
    ...(contentType ? { contentType } : {}),
  });

const timedOut: UploadAnswer['body'] = {
  error: {
    code: 'TIMEOUT',
    reason: 'REQUEST_TIMEOUT',
    message: `No bytes of the request body arrived for ${IDLE_SECONDS}s`,
    requestId: expect.any(String),
  },
};

describe(`upload door, idle body (CHAMPION_UPLOAD_IDLE_SECONDS=${IDLE_SECONDS})`, () => {
  it('fails a body that goes silent mid-file with 408: nothing kept, slot freed, connection closed', async () => {
    const before = (await stored()).length;
    const held = holdUpload();
    held.start();
    // The upload is streaming to storage when the client stops: its partial file is there.
    await vi.waitFor(async () => expect((await stored()).length).toBe(before + 1), {
      timeout: 10_000,
    });

    const answer = await held.answer;
    expect(answer.status).toBe(408);
    expect(answer.body).toEqual(timedOut);
    expect(answer.connection).toBe('close');
    // The client never finished its body: the server ended the connection.
    await held.closed;
    expect((await stored()).length).toBe(before);
    expect(await inFlight()).toBe(0);
    expect((await upload()).status).toBe(201);
  });

  it('takes a slow but steady body: every pause shorter than the deadline, the whole longer', async () => {
    const held = holdUpload();
    held.req.write(held.head);
    const pieces = 8;
    const size = Math.ceil(wav.length / pieces);
    // 8 pauses of a quarter of the deadline: the body takes twice the deadline in all.
    for (let at = 0; at < wav.length; at += size) {
      await sleep((IDLE_SECONDS * 1000) / 4);
      held.req.write(wav.subarray(at, at + size));
    }
    held.req.end(held.tail);
    const answer = await held.answer;
    expect(answer.status).toBe(201);
    expect(answer.body.id).toEqual(expect.any(String));
    expect(answer.connection).not.toBe('close');
  });

  it('bounds the drain of a refused body too: a silent client gets its 415 and the slot is freed', async () => {
    const held = holdUpload('text/plain');
    held.start();
    const answer = await held.answer;
    expect(answer.status).toBe(415);
    expect(answer.body.error?.reason).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(answer.connection).toBe('close');
    await held.closed;
    expect(await inFlight()).toBe(0);
    expect((await upload()).status).toBe(201);
  });

  it("counts only the client's silence: a door slower than the deadline before and after the body still answers", async () => {
    // While `admit` runs nobody reads the body (the client is blocked, not silent). Once the
    // body is in, were the socket's timeout left running, Node would destroy the socket when
    // it fired and the client would get a reset instead of this answer.
    const answer = await upload(SLOW_DOOR);
    expect(answer).toMatchObject({ status: 201, body: { bytes: wav.length } });
  });
});
