export {
  type AudioChunk,
  splitAudio,
  TRANSCRIPTION_AUDIO,
  toMonoWav,
} from './audio.ts';
export { FFMPEG_PATH, FFPROBE_PATH, type RunOptions, runMediaTool } from './binaries.ts';
export { type PrepareAudioOptions, type PreparedAudio, prepareAudio } from './prepare.ts';
export { type MediaProbe, probeMedia } from './probe.ts';
