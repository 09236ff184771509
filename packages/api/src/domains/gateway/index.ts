// What other domains may use of the gateway: every AI call goes through `completeChat`
// (or `streamChat`, its streamed twin; `transcribeAudio` for speech, billed per minute),
// and credits move only through the ledger's `applyGrant`.
export { applyGrant, type GrantEntry } from './credits.service.ts';
export { DEFAULT_EMBED_ROUTE, type Embedded, embedTexts } from './embedding.service.ts';
export type { Payer } from './payer.ts';
export { gatewayPersonalData } from './personal-data.ts';
export { CHAT_MESSAGE_MAX_CHARS } from './schemas.ts';
export { completeChat } from './service.ts';
export { streamChat } from './streaming.service.ts';
export {
  DEFAULT_TRANSCRIBE_ROUTE,
  type RecordingSegment,
  type TranscribeAudioInput,
  type TranscriptionChunk,
  type TranscriptionResult,
  transcribeAudio,
} from './transcription.service.ts';
