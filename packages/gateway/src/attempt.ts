import type { Usage } from './types.ts';

/** One try of one target, as the caller logs and bills it. */
export interface Attempt {
  provider: string;
  model: string;
  status: 'ok' | 'error' | 'skipped';
  errorKind?: string;
  /** Why an attempt was skipped or failed, in words for logs. */
  reason?: string;
  /** HTTP status of a failed attempt, when the provider answered one. */
  httpStatus?: number;
  latencyMs: number;
  usage?: Usage;
  costUsd?: number;
}
