import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Storage } from '../storage/index.ts';
import { type AudioChunk, splitAudio, toMonoWav } from './audio.ts';

export interface PreparedAudio extends AsyncDisposable {
  /** The whole recording's audio, in seconds (after reduction to mono 16 kHz). */
  durationSeconds: number;
  /** Mono 16 kHz WAV pieces in order; read each with `readFile(chunk.path)` when sending it. */
  chunks: AudioChunk[];
  /** Removes the working folder and every chunk in it. */
  dispose(): Promise<void>;
}

export interface PrepareAudioOptions {
  storage: Storage;
  /** The stored recording (audio or video). */
  key: string;
  /** Length of each piece; config `media.chunkSeconds` (MEDIA_CHUNK_SECONDS). */
  chunkSeconds: number;
  /** Deadline of each FFmpeg/FFprobe run; config `media.timeoutMs`. */
  timeoutMs: number;
  /** Where the working folder goes; the system's temporary folder by default. */
  workDir?: string;
  signal?: AbortSignal;
}

/**
 * A stored recording made ready for transcription: copied to a local working folder (an
 * MP4 can keep its index at the end, so FFmpeg needs a file it can seek in, not a stream),
 * reduced to mono 16 kHz WAV and cut into chunks. The caller disposes of it (`await using`).
 * A corrupt, truncated or silent recording fails with `MEDIA_UNREADABLE`.
 */
export async function prepareAudio(options: PrepareAudioOptions): Promise<PreparedAudio> {
  const dir = await mkdtemp(join(options.workDir ?? tmpdir(), 'phoenix-media-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const original = join(dir, 'original');
    await pipeline(await options.storage.get(options.key), createWriteStream(original), {
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const run = { timeoutMs: options.timeoutMs, signal: options.signal };
    const wav = join(dir, 'audio.wav');
    const { durationSeconds } = await toMonoWav({ input: original, output: wav }, run);
    await rm(original, { force: true });
    const chunks = await splitAudio(
      { input: wav, dir: join(dir, 'chunks') },
      { ...run, chunkSeconds: options.chunkSeconds },
    );
    await rm(wav, { force: true });
    return { durationSeconds, chunks, dispose, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
