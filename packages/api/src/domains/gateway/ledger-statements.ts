import {
  type Database,
  type GatewayRequestStatus,
  type Kysely,
  preparedStatement,
  sql,
} from '@phoenix/db';
import { insufficientCredits } from '@phoenix/errors';
import { balanceOf } from './credits.service.ts';

/**
 * The gateway's two writes per call, each ONE statement: Postgres runs a statement's
 * data-modifying CTEs atomically, so the debit, its ledger row and the request-log row
 * commit together without a BEGIN/COMMIT round trip each. See docs/architecture.md.
 */

export interface OpenRequest {
  id: string;
  userId: string;
  apiKeyId: string | null;
  route: string;
  reserved: number;
  idempotencyKey: string | null;
  prompt: string | null;
}

const reserveStatement = preparedStatement<OpenRequest, { opened: number }>(
  'gateway.reserve',
  (r) => sql`
    with debit as (
      update credit_balances set balance = balance - ${r.reserved}::bigint, updated_at = now()
      where user_id = ${r.userId}::uuid and balance >= ${r.reserved}::bigint
      returning balance
    ), ledger as (
      insert into credit_transactions (user_id, kind, amount, balance_after, reference)
      select ${r.userId}::uuid, 'reserve', -${r.reserved}::bigint, balance, ${r.id} from debit
    ), opened as (
      insert into gateway_requests
        (id, user_id, api_key_id, route, status, credits_reserved, idempotency_key, prompt)
      select ${r.id}::uuid, ${r.userId}::uuid, ${r.apiKeyId}, ${r.route}, 'pending', ${r.reserved}::bigint,
        ${r.idempotencyKey}, ${r.prompt}::jsonb
      from debit
      returning id
    )
    select count(*)::int as opened from opened
  `,
);

/** Debits the reservation and opens the request row, or neither (INSUFFICIENT_CREDITS). */
export async function reserveAndOpen(db: Kysely<Database>, r: OpenRequest): Promise<void> {
  if (r.reserved <= 0) {
    await sql`
      insert into gateway_requests (id, user_id, api_key_id, route, status, idempotency_key, prompt)
      values (${r.id}::uuid, ${r.userId}::uuid, ${r.apiKeyId}, ${r.route}, 'pending', ${r.idempotencyKey}, ${r.prompt}::jsonb)
    `.execute(db);
    return;
  }
  const { rows } = await reserveStatement.execute(db, r);
  if (rows[0]?.opened !== 1) throw insufficientCredits(r.reserved, await balanceOf(db, r.userId));
}

/** What a gateway call did; its activity row, once billed `ok`, is `gateway.<capability>`. */
export type GatewayCapability = 'chat' | 'transcribe' | 'embed';

/** The activity action of a billed call of each capability (a stream is a chat). */
const GATEWAY_ACTIVITY = {
  chat: 'gateway.chat',
  transcribe: 'gateway.transcribe',
  embed: 'gateway.embed',
} as const satisfies Record<GatewayCapability, string>;

export interface CloseRequest {
  id: string;
  capability: GatewayCapability;
  userId: string;
  refund: number;
  status: Exclude<GatewayRequestStatus, 'pending' | 'cached'>;
  provider: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  charged: number;
  latencyMs: number;
  attempts: string;
  response: string | null;
}

/**
 * Closes a pending request row, refunds the unused reservation and, on success, logs the
 * activity. Only a `pending` row closes, so a second close of the same call (a retry, or a
 * failure path running after a settle) changes nothing and refunds nothing. Answers
 * whether this call closed it.
 */
export async function settleAndClose(db: Kysely<Database>, c: CloseRequest): Promise<boolean> {
  return (await settleAndCloseWithBalance(db, c)).closed;
}

export interface Settled {
  /** This statement closed the call (false: it was already closed, or `crossing`). */
  closed: boolean;
  /** The payer's balance after the statement. */
  balance: number | null;
  /**
   * Nothing was written because this bill would take the balance under `lowThreshold`:
   * the caller settles again in a transaction that also emits `credits.low`.
   */
  crossing: boolean;
}

/**
 * `settleAndClose`, also answering the payer's balance after it. With `lowThreshold`, the
 * statement writes nothing when this bill would cross it (from at or above to under), so
 * the common bill stays ONE autocommitted statement and only the rare crossing pays for a
 * transaction with its event.
 *
 * Both rows are locked first (`for update` re-reads them as committed by a concurrent
 * statement), so a second close of the call and a concurrent change of the balance are
 * both seen before anything is decided.
 */
export function settleAndCloseWithBalance(
  db: Kysely<Database>,
  c: CloseRequest,
  options: { lowThreshold?: number } = {},
): Promise<Settled> {
  const { capability, ...row } = c;
  return closeStatement(db, {
    ...row,
    activity: c.status === 'ok' ? GATEWAY_ACTIVITY[capability] : null,
    lowThreshold: options.lowThreshold ?? null,
  });
}

/** A close as the statement writes it: `activity` is the action logged, or none. */
type ClosingRow = Omit<CloseRequest, 'capability'> & { activity: string | null };

const closeStatementSql = preparedStatement<
  ClosingRow & { lowThreshold: number | null },
  { pending: number; closed: number; balance: number | null }
>(
  'gateway.close',
  (c) => sql`
    with pending as (
      select id from gateway_requests where id = ${c.id}::uuid and status = 'pending' for update
    ), current as (
      select balance from credit_balances
      where user_id = ${c.userId}::uuid and exists (select from pending)
      for update
    ), allowed as (
      select from pending where ${c.lowThreshold}::bigint is null or not exists (
        select from current
        where balance + ${c.refund}::bigint < ${c.lowThreshold}::bigint
          and balance + ${c.refund}::bigint + ${c.charged}::bigint >= ${c.lowThreshold}::bigint
      )
    ), closed as (
      update gateway_requests set
        status = ${c.status}, provider = ${c.provider}, model = ${c.model},
        input_tokens = ${c.inputTokens}::int, output_tokens = ${c.outputTokens}::int,
        credits_charged = ${c.charged}::bigint, latency_ms = ${c.latencyMs}::int,
        attempts = ${c.attempts}::jsonb, response = ${c.response}::jsonb
      where id = ${c.id}::uuid and status = 'pending' and exists (select from allowed)
      returning id
    ), credit as (
      update credit_balances set balance = balance + ${c.refund}::bigint, updated_at = now()
      where user_id = ${c.userId}::uuid and ${c.refund}::bigint > 0 and exists (select from closed)
      returning balance
    ), ledger as (
      insert into credit_transactions (user_id, kind, amount, balance_after, reference)
      select ${c.userId}::uuid, 'refund', ${c.refund}::bigint, balance, ${c.id} from credit
    ), activity as (
      insert into activity_events (user_id, action, resource_id)
      select ${c.userId}::uuid, ${c.activity}::text, ${c.id} from closed
      where ${c.activity}::text is not null
    )
    select (select count(*)::int from pending) as pending,
      (select count(*)::int from closed) as closed,
      coalesce(
        (select balance from credit),
        (select balance from current),
        (select balance from credit_balances where user_id = ${c.userId}::uuid)
      ) as balance
  `,
);

async function closeStatement(
  db: Kysely<Database>,
  close: ClosingRow & { lowThreshold: number | null },
): Promise<Settled> {
  const { rows } = await closeStatementSql.execute(db, close);
  const row = rows[0];
  const closed = row?.closed === 1;
  return {
    closed,
    balance: row?.balance === null || row?.balance === undefined ? null : Number(row.balance),
    crossing: !closed && row?.pending === 1,
  };
}

/** Closes a call nothing answered as `failed`, giving back everything it reserved. */
export async function refundAndCloseFailed(
  db: Kysely<Database>,
  c: Pick<CloseRequest, 'id' | 'userId' | 'refund' | 'latencyMs' | 'attempts'>,
): Promise<boolean> {
  const close = {
    ...c,
    status: 'failed',
    provider: null,
    model: null,
    inputTokens: 0,
    outputTokens: 0,
    charged: 0,
    response: null,
    activity: null,
    lowThreshold: null,
  } satisfies ClosingRow & { lowThreshold: null };
  return (await closeStatement(db, close)).closed;
}
