import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PhoenixUploadError, uploadChampion } from '@phoenix/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPhoenixError, signUp, type TestServer } from '../../testing/index.ts';
import { synthesizeMedia } from '../../testing/media.ts';
import { analysed, startChampionServer } from './testing.ts';

/**
 * A recording through the whole flow, offline: a real video made by FFmpeg, uploaded
 * through `POST /champions/upload` with the SDK, transcribed through the gateway (billed
 * per audio minute), diarized, analysed; deleting the champion deletes the file.
 */

let server: TestServer;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'phoenix-recording-'));
  server = await startChampionServer({
    env: {
      CHAMPION_UPLOADS_PER_HOUR: '3',
      // The offline provider is free by default; priced here so the bill is visible.
      GATEWAY_TRANSCRIBE_PRICES: JSON.stringify({ 'offline/phoenix-offline-1': 600 }),
    },
  });
});
afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

const storedFiles = async () =>
  (await readdir(server.deps.config.storage.dir, { recursive: true }).catch(() => [])).filter(
    (name) => name.includes('.'),
  );

describe('a champion from an uploaded recording', () => {
  it('is uploaded, transcribed, analysed, billed per minute, and deleted with its file', async () => {
    const video = join(scratch, 'call.mp4');
    await synthesizeMedia({ path: video, kind: 'mp4', seconds: 4, video: true });
    const seller = await signUp(server, { label: 'recording', credits: 10_000 });
    const progress: number[] = [];

    const uploaded = await uploadChampion(seller.client, video, {
      name: 'Recorded closer',
      onProgress: (p) => progress.push(p.loaded),
    });
    expect(uploaded).toMatchObject({
      name: 'Recorded closer',
      source: 'recording',
      status: 'uploaded',
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(await storedFiles()).toEqual([`champions/${uploaded.id}/recording.mp4`]);

    await seller.client.champions.analyze.mutate({ id: uploaded.id });
    const champion = await analysed(seller.client, uploaded.id);
    expect(champion).toMatchObject({ status: 'ready', failureReason: null });
    expect(champion.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    const transcript = await seller.client.champions.transcript.query({ id: uploaded.id });
    expect(transcript.text?.length ?? 0).toBeGreaterThan(0);

    const usage = await server.deps.db
      .selectFrom('gatewayRequests')
      .select(['route', 'status', 'creditsCharged'])
      .where('userId', '=', seller.id)
      .where('route', '=', 'transcribe.default')
      .execute();
    expect(usage).toEqual([
      { route: 'transcribe.default', status: 'ok', creditsCharged: expect.any(Number) },
    ]);
    expect(usage[0]?.creditsCharged).toBeGreaterThan(0);

    await seller.client.champions.delete.mutate({ id: uploaded.id });
    expect(await storedFiles()).toEqual([]);
  });

  it('refuses a file that is not audio or video by its content, whatever its name', async () => {
    const fake = join(scratch, 'notes.mp3');
    await writeFile(fake, 'this is text pretending to be an mp3, '.repeat(200));
    const seller = await signUp(server, { label: 'fake-mp3' });
    const refusal = await uploadChampion(seller.client, fake, { name: 'x' }).catch((e) => e);
    expect(refusal).toBeInstanceOf(PhoenixUploadError);
    expect(refusal).toMatchObject({ status: 415, reason: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(await seller.client.champions.list.query()).toMatchObject({ items: [] });
  });

  it('fails the analysis clearly on a truncated recording', async () => {
    const whole = join(scratch, 'whole.wav');
    await synthesizeMedia({ path: whole, kind: 'wav', seconds: 3 });
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(whole);
    const cut = join(scratch, 'cut.wav');
    await writeFile(cut, bytes.subarray(0, 64));
    const seller = await signUp(server, { label: 'truncated', credits: 10_000 });
    const uploaded = await uploadChampion(seller.client, cut, { name: 'Cut' });
    await seller.client.champions.analyze.mutate({ id: uploaded.id });
    const champion = await analysed(seller.client, uploaded.id);
    expect(champion.status).toBe('failed');
    expect(champion.failureReason).toMatch(/recording|speech/);
  });

  it('refuses an anonymous upload, and more than CHAMPION_UPLOADS_PER_HOUR', async () => {
    const audio = join(scratch, 'short.ogg');
    await synthesizeMedia({ path: audio, kind: 'ogg', seconds: 1 });
    const anonymous = await uploadChampion({ url: server.url }, audio).catch((e) => e);
    expect(anonymous).toMatchObject({ status: 401 });

    const seller = await signUp(server, { label: 'limited' });
    for (let i = 0; i < 3; i += 1) await uploadChampion(seller.client, audio, { name: `n${i}` });
    const limited = await uploadChampion(seller.client, audio, { name: 'over' }).catch((e) => e);
    expect(limited).toMatchObject({ status: 429, reason: 'RATE_LIMITED' });
    await expectPhoenixError(
      seller.client.champions.get.query({ id: '00000000-0000-4000-8000-000000000000' }),
      { code: 'NOT_FOUND' },
    );
  });
});
