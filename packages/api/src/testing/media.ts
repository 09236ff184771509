import { FFMPEG_PATH, runMediaTool } from '../platform/media/binaries.ts';

export type SyntheticKind = 'wav' | 'mp3' | 'm4a' | 'ogg' | 'webm' | 'mp4';

const AUDIO: Record<SyntheticKind, string[]> = {
  wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
  m4a: ['-c:a', 'aac', '-b:a', '64k', '-f', 'ipod'],
  ogg: ['-c:a', 'libvorbis', '-f', 'ogg'],
  webm: ['-c:a', 'libopus', '-f', 'webm'],
  mp4: ['-c:a', 'aac', '-b:a', '64k', '-f', 'mp4'],
};

/**
 * A real media file made by FFmpeg itself: a tone of `seconds` (stereo 44.1 kHz, so the
 * pipeline has something to reduce), with a small test-pattern video for `mp4`/`webm`
 * when `video` is set.
 */
export async function synthesizeMedia(options: {
  path: string;
  kind: SyntheticKind;
  seconds: number;
  video?: boolean;
}): Promise<void> {
  const video = options.video && (options.kind === 'mp4' || options.kind === 'webm');
  await runMediaTool(
    FFMPEG_PATH,
    [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=44100:duration=${options.seconds}`,
      ...(video
        ? ['-f', 'lavfi', '-i', `testsrc=size=160x120:rate=10:duration=${options.seconds}`]
        : []),
      '-ac',
      '2',
      ...(video
        ? options.kind === 'mp4'
          ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']
          : ['-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '100k']
        : []),
      ...AUDIO[options.kind],
      options.path,
    ],
    { timeoutMs: 60_000 },
  );
}
