import type { ColumnType, Generated, Selectable } from 'kysely';

/** One row per user; only ever changed in the same transaction as a ledger row. */
export interface CreditBalancesTable {
  userId: string;
  balance: number;
  updatedAt: ColumnType<Date, Date | undefined, Date>;
}

export type CreditKind = 'signup' | 'grant' | 'purchase' | 'reserve' | 'refund' | 'adjustment';

/** Append-only: every change of a balance, signed, with the balance it left. */
export interface CreditTransactionsTable {
  id: Generated<number>;
  userId: string;
  kind: CreditKind;
  amount: number;
  balanceAfter: number;
  /** Unique when present: a retried grant or top-up applies once. */
  idempotencyKey: string | null;
  /** The gateway request, webhook event or admin action this belongs to. */
  reference: string | null;
  note: string | null;
  createdAt: ColumnType<Date, Date | undefined, never>;
}

/** `interrupted`: a stream broke after tokens flowed; `aborted`: its client hung up. Both bill what was delivered. */
export type GatewayRequestStatus =
  | 'pending'
  | 'ok'
  | 'failed'
  | 'cached'
  | 'interrupted'
  | 'aborted';

/** The request log: one row per gateway call, with every attempt. */
export interface GatewayRequestsTable {
  id: string;
  userId: string;
  apiKeyId: string | null;
  route: string;
  status: GatewayRequestStatus;
  provider: ColumnType<string | null, string | null | undefined, string | null>;
  model: ColumnType<string | null, string | null | undefined, string | null>;
  inputTokens: ColumnType<number, number | undefined, number>;
  outputTokens: ColumnType<number, number | undefined, number>;
  creditsReserved: ColumnType<number, number | undefined, number>;
  creditsCharged: ColumnType<number, number | undefined, number>;
  latencyMs: ColumnType<number | null, number | null | undefined, number | null>;
  /** JSON array of attempts: provider, model, status, latency, tokens, error class. */
  attempts: ColumnType<unknown, string, string>;
  idempotencyKey: string | null;
  /** The answer, kept so a replayed idempotency key returns it without a second call. */
  response: ColumnType<unknown, string | null, string | null>;
  /** The prompt, only when GATEWAY_LOG_PROMPTS is on. */
  prompt: ColumnType<unknown, string | null, string | null>;
  createdAt: ColumnType<Date, Date | undefined, never>;
}

export interface GatewayTables {
  creditBalances: CreditBalancesTable;
  creditTransactions: CreditTransactionsTable;
  gatewayRequests: GatewayRequestsTable;
}

export type CreditTransactionRow = Selectable<CreditTransactionsTable>;
export type GatewayRequestRow = Selectable<GatewayRequestsTable>;
