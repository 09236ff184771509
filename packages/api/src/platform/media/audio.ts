import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FFMPEG_PATH, type RunOptions, runMediaTool, unreadable } from './binaries.ts';
import { probeMedia } from './probe.ts';

/** What every transcription provider takes well: 16 kHz mono 16-bit PCM in a WAV file. */
export const TRANSCRIPTION_AUDIO = { sampleRate: 16_000, channels: 1, mimeType: 'audio/wav' };

/**
 * Reduces any audio or video to mono 16 kHz WAV (the video dropped). `-xerror` stops at
 * the first decoding error, so a corrupt or truncated input fails (`MEDIA_UNREADABLE`)
 * rather than yielding a silent or partial transcript; input without audio fails too.
 */
export async function toMonoWav(
  files: { input: string; output: string },
  options: RunOptions,
): Promise<{ durationSeconds: number }> {
  const probe = await probeMedia(files.input, options);
  if (!probe.hasAudio) throw unreadable('it has no audio track');
  await runMediaTool(
    FFMPEG_PATH,
    [
      '-nostdin',
      '-v',
      'error',
      '-xerror',
      '-y',
      '-i',
      files.input,
      '-vn',
      '-ac',
      String(TRANSCRIPTION_AUDIO.channels),
      '-ar',
      String(TRANSCRIPTION_AUDIO.sampleRate),
      '-c:a',
      'pcm_s16le',
      '-map_metadata',
      '-1',
      '-fflags',
      '+bitexact',
      '-f',
      'wav',
      files.output,
    ],
    options,
  );
  const converted = await probeMedia(files.output, options);
  if (converted.durationSeconds <= 0) throw unreadable('it holds no audible audio');
  return { durationSeconds: converted.durationSeconds };
}

export interface AudioChunk {
  index: number;
  path: string;
  /** Where this chunk starts in the whole recording, in seconds. */
  startSeconds: number;
  durationSeconds: number;
}

/**
 * Cuts a WAV file into consecutive chunks of `chunkSeconds` (the last one shorter), copied
 * without re-encoding, so each fits a provider's upload limit (25 MB at OpenAI: 10 minutes
 * of 16 kHz mono PCM is 19.2 MB).
 */
export async function splitAudio(
  files: { input: string; dir: string },
  options: RunOptions & { chunkSeconds: number },
): Promise<AudioChunk[]> {
  await mkdir(files.dir, { recursive: true });
  await runMediaTool(
    FFMPEG_PATH,
    [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-i',
      files.input,
      '-f',
      'segment',
      '-segment_time',
      String(options.chunkSeconds),
      '-c',
      'copy',
      '-fflags',
      '+bitexact',
      join(files.dir, 'chunk-%05d.wav'),
    ],
    options,
  );
  const names = (await readdir(files.dir)).filter((n) => /^chunk-\d{5}\.wav$/.test(n)).sort();
  const chunks: AudioChunk[] = [];
  let start = 0;
  for (const [index, name] of names.entries()) {
    const path = join(files.dir, name);
    const { durationSeconds } = await probeMedia(path, options);
    if (durationSeconds <= 0) {
      await rm(path, { force: true });
      continue;
    }
    chunks.push({ index, path, startSeconds: start, durationSeconds });
    start += durationSeconds;
  }
  return chunks;
}
