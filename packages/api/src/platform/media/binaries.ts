import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { invalid, unavailable } from '@phoenix/errors';

const require = createRequire(import.meta.url);

/**
 * FFmpeg and FFprobe as the npm packages ship them (`@ffmpeg-installer/ffmpeg`,
 * `@ffprobe-installer/ffprobe`): a static binary per platform inside an optional
 * dependency, nothing downloaded at install. `FFMPEG_PATH`-style overrides are not read:
 * the environment is read in one place (`@phoenix/config`).
 */
export const FFMPEG_PATH: string = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
export const FFPROBE_PATH: string = (require('@ffprobe-installer/ffprobe') as { path: string })
  .path;

export interface RunOptions {
  /** The run is killed past this; the media could not be processed in time. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** The longest stderr kept for an error message: FFmpeg explains itself at the end. */
const STDERR_TAIL = 4_000;

/**
 * Runs FFmpeg or FFprobe with `args` (never a shell), resolving with stdout. A non-zero
 * exit is `MEDIA_UNREADABLE` (the input is corrupt, truncated or not media) with FFmpeg's
 * own last words; a run past its deadline is killed and answered `UNAVAILABLE`.
 */
export function runMediaTool(
  binary: string,
  args: readonly string[],
  options: RunOptions,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    child.on('error', (error) => {
      if (options.signal?.aborted) reject(options.signal.reason);
      else reject(unavailable(`Media processing could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      if (options.signal?.aborted) return reject(options.signal.reason);
      if (signal === 'SIGKILL') {
        return reject(unavailable(`Media processing took longer than ${options.timeoutMs} ms`));
      }
      reject(unreadable(lastLine(err)));
    });
  });
}

export const unreadable = (detail: string) =>
  invalid(`The recording could not be read as audio or video${detail ? `: ${detail}` : ''}`, {
    reason: 'MEDIA_UNREADABLE',
    field: 'file',
  });

function lastLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.at(-1) ?? '').slice(0, 300);
}
