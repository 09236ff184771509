export type ProviderErrorKind =
  | 'network'
  | 'timeout'
  | 'rate_limited'
  | 'server'
  | 'auth'
  | 'not_found'
  | 'bad_request'
  | 'unknown';

export interface ProviderErrorInit {
  provider: string;
  kind: ProviderErrorKind;
  message: string;
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  'network',
  'timeout',
  'rate_limited',
  'server',
]);

/** A provider call that failed, classified so the router can decide: retry, move on, or stop. */
export class ProviderError extends Error {
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ProviderError';
    this.provider = init.provider;
    this.kind = init.kind;
    this.status = init.status;
    this.retryable = init.retryable ?? RETRYABLE_KINDS.has(init.kind);
    this.retryAfterMs = init.retryAfterMs;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
