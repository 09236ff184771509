import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeMedia } from '../../testing/media.ts';
import { createFilesystemStorage } from '../storage/index.ts';
import { splitAudio, toMonoWav } from './audio.ts';
import { prepareAudio } from './prepare.ts';
import { probeMedia } from './probe.ts';

const run = { timeoutMs: 60_000 };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phoenix-media-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('media pipeline (FFmpeg from @ffmpeg-installer)', () => {
  it.each(['wav', 'mp3', 'm4a', 'ogg', 'webm'] as const)(
    'probes and reduces %s audio to mono 16 kHz WAV',
    async (kind) => {
      const input = join(dir, `tone.${kind}`);
      await synthesizeMedia({ path: input, kind, seconds: 3 });
      const probe = await probeMedia(input, run);
      expect(probe.hasAudio).toBe(true);
      expect(probe.durationSeconds).toBeGreaterThan(2.9);
      expect(probe.durationSeconds).toBeLessThan(3.2);
      const output = join(dir, `tone-${kind}.wav`);
      const { durationSeconds } = await toMonoWav({ input, output }, run);
      expect(durationSeconds).toBeGreaterThan(2.9);
      // 16 kHz mono 16-bit: 32,000 bytes a second after a 44-byte header.
      const bytes = (await stat(output)).size;
      expect(Math.abs(bytes - 44 - durationSeconds * 32_000)).toBeLessThan(64);
      const header = await readFile(output);
      expect(header.readUInt16LE(22)).toBe(1); // channels
      expect(header.readUInt32LE(24)).toBe(16_000); // sample rate
    },
  );

  it('drops the video of an mp4 and keeps its audio', async () => {
    const input = join(dir, 'call.mp4');
    await synthesizeMedia({ path: input, kind: 'mp4', seconds: 2, video: true });
    expect(await probeMedia(input, run)).toMatchObject({ hasAudio: true, hasVideo: true });
    const output = join(dir, 'call.wav');
    await toMonoWav({ input, output }, run);
    expect(await probeMedia(output, run)).toMatchObject({ hasAudio: true, hasVideo: false });
  });

  it('cuts long audio into chunks of the configured length', async () => {
    const input = join(dir, 'long.wav');
    await synthesizeMedia({ path: input, kind: 'wav', seconds: 25 });
    const wav = join(dir, 'long-mono.wav');
    await toMonoWav({ input, output: wav }, run);
    const chunks = await splitAudio(
      { input: wav, dir: join(dir, 'chunks') },
      { ...run, chunkSeconds: 10 },
    );
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(chunks.map((c) => Math.round(c.startSeconds))).toEqual([0, 10, 20]);
    expect(chunks.map((c) => Math.round(c.durationSeconds))).toEqual([10, 10, 5]);
  });

  it('fails a truncated video with MEDIA_UNREADABLE', async () => {
    const input = join(dir, 'cut.mp4');
    await synthesizeMedia({ path: input, kind: 'mp4', seconds: 2, video: true });
    await truncate(input, Math.floor((await stat(input)).size / 2));
    await expect(toMonoWav({ input, output: join(dir, 'cut.wav') }, run)).rejects.toMatchObject({
      kind: 'invalid',
      reason: 'MEDIA_UNREADABLE',
      message: expect.stringContaining('could not be read'),
    });
  });

  it('fails bytes that only look like media, and media with no audio', async () => {
    const fake = join(dir, 'fake.mp3');
    await writeFile(fake, Buffer.concat([Buffer.from('ID3'), Buffer.alloc(2000, 1)]));
    await expect(
      toMonoWav({ input: fake, output: join(dir, 'fake.wav') }, run),
    ).rejects.toMatchObject({ reason: 'MEDIA_UNREADABLE' });
    await expect(probeMedia(join(dir, 'missing.wav'), run)).rejects.toMatchObject({
      reason: 'MEDIA_UNREADABLE',
    });
  });

  it('prepares a stored recording: copy, reduce, cut, then dispose of everything', async () => {
    const storage = createFilesystemStorage(join(dir, 'store'));
    const source = join(dir, 'stored.webm');
    await synthesizeMedia({ path: source, kind: 'webm', seconds: 12, video: true });
    await storage.put('u1/rec.webm', createReadStream(source));
    const workDir = join(dir, 'work');
    await mkdir(workDir);
    const prepared = await prepareAudio({
      storage,
      key: 'u1/rec.webm',
      chunkSeconds: 5,
      timeoutMs: 60_000,
      workDir,
    });
    expect(Math.round(prepared.durationSeconds)).toBe(12);
    expect(prepared.chunks.map((c) => Math.round(c.durationSeconds))).toEqual([5, 5, 2]);
    await prepared.dispose();
    expect(await readdir(workDir)).toEqual([]);
  });
});
