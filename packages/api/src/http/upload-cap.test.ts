import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type HeldUpload, heldUpload, type UploadAnswer } from '../testing/held-upload.ts';
import { signUp, startTestServer, type TestServer } from '../testing/index.ts';
import { synthesizeMedia } from '../testing/media.ts';
import { postUpload, storedFiles, uploadsInFlight } from '../testing/upload-door.ts';

// The real champion door, capped by the configuration at one upload in flight.
const DOOR = '/champions/upload';
const MAX_BYTES = 2_000_000;
let server: TestServer;
let token: string;
let dir: string;
let wav: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phoenix-upload-cap-test-'));
  server = await startTestServer({
    env: {
      CHAMPION_UPLOADS_IN_FLIGHT: '1',
      CHAMPION_UPLOAD_MAX_BYTES: String(MAX_BYTES),
      CHAMPION_UPLOADS_PER_HOUR: '100',
    },
  });
  ({ token } = await signUp(server, { label: 'capped-uploader' }));
  await synthesizeMedia({ path: join(dir, 'call.wav'), kind: 'wav', seconds: 2 });
  wav = await readFile(join(dir, 'call.wav'));
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const stored = (): Promise<string[]> => storedFiles(server);

const inFlight = (): Promise<number> => uploadsInFlight(server, DOOR);

const upload = (
  file: Uint8Array,
  headers: Record<string, string> = { authorization: `Bearer ${token}` },
  fields: Record<string, string> = {},
): Promise<UploadAnswer> => postUpload({ url: `${server.url}${DOOR}`, file, headers, fields });

const holdUpload = (): HeldUpload => heldUpload({ url: `${server.url}${DOOR}`, token, file: wav });

describe('upload door, uploads in flight (CHAMPION_UPLOADS_IN_FLIGHT=1)', () => {
  it('refuses one upload too many with 503 and Retry-After before reading it; the held one still completes', async () => {
    const held = holdUpload();
    held.start();
    // The held upload is streaming to storage: its partial file is there.
    await vi.waitFor(async () => expect((await stored()).length).toBe(1), { timeout: 10_000 });
    expect(await inFlight()).toBe(1);

    // Past the app's body limit (1 MB): the door drops the refused body itself, as it does
    // for its other refusals, and the client reads the answer.
    const big = Buffer.concat([wav, Buffer.alloc(3_000_000, 1)]);
    const busy = await upload(big);
    expect(busy.status).toBe(503);
    expect(busy.retryAfter).toBe('5');
    expect(busy.body.error).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      reason: 'TOO_MANY_UPLOADS',
      message: 'The server is receiving too many uploads; retry in 5s',
      requestId: expect.any(String),
    });
    // Authentication still comes first.
    const anonymous = await upload(wav, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error?.reason).toBe('UNAUTHENTICATED');
    // Nothing of the refused ones was stored.
    expect((await stored()).length).toBe(1);

    held.finish();
    const done = await held.answer;
    expect(done.status).toBe(201);
    expect(done.body.id).toEqual(expect.any(String));
    expect(await inFlight()).toBe(0);
    // The slot is free: the next upload goes through.
    expect((await upload(wav)).status).toBe(201);
  });

  it('frees the slot after a refused type', async () => {
    const refused = await upload(Buffer.from('just words '.repeat(1000)));
    expect(refused.status).toBe(415);
    expect(await inFlight()).toBe(0);
    expect((await upload(wav)).status).toBe(201);
  });

  it('frees the slot when recording the stored file fails', async () => {
    // The champion's name is checked after the file is stored: the file is deleted again.
    const before = (await stored()).length;
    const refused = await upload(wav, undefined, { name: 'x'.repeat(201) });
    expect(refused.status).toBe(400);
    expect((await stored()).length).toBe(before);
    expect(await inFlight()).toBe(0);
    expect((await upload(wav)).status).toBe(201);
  });

  it('frees the slot when the client goes away mid-body', async () => {
    const before = (await stored()).length;
    const held = holdUpload();
    held.start();
    await vi.waitFor(async () => expect((await stored()).length).toBe(before + 1), {
      timeout: 10_000,
    });
    held.req.destroy();
    await vi.waitFor(async () => expect(await inFlight()).toBe(0), { timeout: 10_000 });
    expect((await stored()).length).toBe(before);
    expect((await upload(wav)).status).toBe(201);
  });
});

describe('upload door, uploads in flight per user', () => {
  let wide: TestServer;
  beforeAll(async () => {
    wide = await startTestServer({
      env: { CHAMPION_UPLOADS_IN_FLIGHT: '8', CHAMPION_UPLOADS_PER_HOUR: '100' },
    });
  });
  afterAll(async () => {
    await wide?.close();
  });

  const post = (bearer: string): Promise<UploadAnswer> =>
    postUpload({
      url: `${wide.url}${DOOR}`,
      file: wav,
      headers: { authorization: `Bearer ${bearer}` },
    });
  const gauge = (): Promise<number> => uploadsInFlight(wide, DOOR);

  it('refuses a third upload of one user with 429 while two are in flight; others still upload', async () => {
    const { token: mine } = await signUp(wide, { label: 'busy-uploader' });
    const { token: theirs } = await signUp(wide, { label: 'other-uploader' });
    const held = [0, 1].map(() =>
      heldUpload({ url: `${wide.url}${DOOR}`, token: mine, file: wav }),
    );
    for (const upload of held) upload.start();
    await vi.waitFor(async () => expect(await gauge()).toBe(2), { timeout: 10_000 });

    const third = await post(mine);
    expect(third.status).toBe(429);
    expect(third.retryAfter).toBe('5');
    expect(third.body.error).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      reason: 'UPLOADS_IN_PROGRESS',
      message: 'You already have 2 uploads in progress; retry when one has finished',
    });
    expect((await post(theirs)).status).toBe(201);

    for (const upload of held) upload.finish();
    for (const upload of held) expect((await upload.answer).status).toBe(201);
    expect(await gauge()).toBe(0);
    expect((await post(mine)).status).toBe(201);
  });
});
