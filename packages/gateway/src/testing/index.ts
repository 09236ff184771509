export * from './payloads.ts';
export { frame, type SseOptions, sseResponse } from './sse.ts';
