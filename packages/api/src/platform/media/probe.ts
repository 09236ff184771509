import { FFPROBE_PATH, type RunOptions, runMediaTool, unreadable } from './binaries.ts';

export interface MediaProbe {
  /** Seconds, from the container (or the longest stream when the container has none). */
  durationSeconds: number;
  hasAudio: boolean;
  hasVideo: boolean;
  /** FFmpeg's name for the container, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `wav`. */
  format: string;
}

interface ProbeJson {
  format?: { duration?: string; format_name?: string };
  streams?: { codec_type?: string; duration?: string }[];
}

/** What a media file holds and how long it lasts; `MEDIA_UNREADABLE` when it is not media. */
export async function probeMedia(path: string, options: RunOptions): Promise<MediaProbe> {
  const out = await runMediaTool(
    FFPROBE_PATH,
    [
      '-v',
      'error',
      '-show_entries',
      'format=duration,format_name:stream=codec_type,duration',
      '-of',
      'json',
      path,
    ],
    options,
  );
  let json: ProbeJson;
  try {
    json = JSON.parse(out) as ProbeJson;
  } catch {
    throw unreadable('ffprobe gave no readable description');
  }
  const streams = json.streams ?? [];
  const seconds = [json.format?.duration, ...streams.map((s) => s.duration)]
    .map((d) => Number(d))
    .filter((d) => Number.isFinite(d) && d > 0);
  return {
    durationSeconds:
      Number(json.format?.duration) > 0 ? Number(json.format?.duration) : Math.max(0, ...seconds),
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
    hasVideo: streams.some((s) => s.codec_type === 'video'),
    format: json.format?.format_name ?? 'unknown',
  };
}
