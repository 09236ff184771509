// What other domains may use of the gateway: every AI call goes through `completeChat`
// (or `streamChat`, its streamed twin),
// and credits move only through the ledger's `applyGrant`.
export { applyGrant, type GrantEntry } from './credits.service.ts';
export { DEFAULT_EMBED_ROUTE, type Embedded, embedTexts } from './embedding.service.ts';
export type { Payer } from './payer.ts';
export { completeChat } from './service.ts';
export { streamChat } from './streaming.service.ts';
