import { createHash } from 'node:crypto';
import type { TranscribeRequest, TranscribeResult, TranscriptSegment } from '../types.ts';

/** Seconds of one offline turn: a two-person call, alternating speakers. */
const TURN_SECONDS = 8;
/** 16 kHz mono 16-bit PCM, the media pipeline's output, after its 44-byte WAV header. */
const PCM_BYTES_PER_SECOND = 32_000;

const SELLER = [
  'Thanks for taking the time today. What made you look at this now?',
  'That makes sense. How are you handling it at the moment?',
  'If we solved that, what would it change for your team this quarter?',
  'I hear you on the price. Compared with the hours it costs you today, how does it look?',
  'Many teams felt the same at first; after the pilot they kept it. Shall we set one up?',
  'Great. I will send the proposal today and we can review it together on Thursday.',
];
const PROSPECT = [
  'We are growing and the current process does not keep up.',
  'Mostly spreadsheets and a lot of manual follow-up.',
  'We would close faster and stop losing leads between teams.',
  'Honestly, the budget is tight this year.',
  'A pilot could work if it is short.',
  'Thursday works for me.',
];

/**
 * A deterministic two-speaker sales call as long as the audio: the same bytes always give
 * the same transcript, so the whole flow (and its billing) runs with no provider key.
 */
export function offlineTranscript(
  request: Pick<TranscribeRequest, 'audio' | 'durationSeconds'>,
): Omit<TranscribeResult, 'provider' | 'model'> {
  const duration =
    request.durationSeconds ?? Math.max(0, (request.audio.byteLength - 44) / PCM_BYTES_PER_SECOND);
  const seed = createHash('sha256').update(request.audio).digest().readUInt32BE(0);
  const segments: TranscriptSegment[] = [];
  for (let start = 0, turn = 0; start < duration; start += TURN_SECONDS, turn++) {
    const seller = turn % 2 === 0;
    const lines = seller ? SELLER : PROSPECT;
    const line = lines[(seed + Math.floor(turn / 2)) % lines.length] ?? '';
    segments.push({
      start: round(start),
      end: round(Math.min(duration, start + TURN_SECONDS)),
      text: line,
      speaker: seller ? '0' : '1',
    });
  }
  return {
    text: segments.map((s) => s.text).join(' '),
    segments,
    durationSeconds: round(duration),
    language: 'en',
    diarized: true,
  };
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
