export type {
  AppRouter,
  ErrorReason,
  FieldError,
  PhoenixErrorData,
  RouterInputs,
  RouterOutputs,
} from '@phoenix/api/client';
export { TRPCClientError } from '@trpc/client';
export { createPhoenixClient, type PhoenixClient, type PhoenixClientOptions } from './client.ts';
export {
  getErrorCode,
  getErrorDetails,
  getErrorReason,
  getFieldErrors,
  isPhoenixError,
  type PhoenixClientError,
  type PhoenixErrorCode,
} from './errors.ts';
export { type ChatStreamEvent, type ChatStreamInput, streamChat } from './stream-chat.ts';
export {
  type LunaMessageStreamEvent,
  type LunaMessageStreamInput,
  streamLunaMessage,
} from './stream-luna.ts';
export {
  type ChampionProgressEvent,
  streamTrainingReply,
  type TrainingReplyStreamEvent,
  type TrainingReplyStreamInput,
  watchChampionProgress,
} from './stream-training.ts';
export { UNBATCHED_PROCEDURES } from './unbatched.ts';
export {
  type AsJson,
  PhoenixUploadError,
  type UploadChampionOptions,
  type UploadedChampion,
  type UploadFileOptions,
  type UploadProgress,
  type UploadSource,
  uploadChampion,
  uploadFile,
} from './upload.ts';
export {
  checkServerVersion,
  compareVersions,
  SDK_VERSION,
  type ServerVersionCheck,
} from './version.ts';
