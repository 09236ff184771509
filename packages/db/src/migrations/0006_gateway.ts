import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('credit_balances')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('balance', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`balance >= 0`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('credit_transactions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(sql`kind in ('signup', 'grant', 'purchase', 'reserve', 'refund', 'adjustment')`),
    )
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('balance_after', 'bigint', (c) => c.notNull().check(sql`balance_after >= 0`))
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('reference', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('credit_transactions_user_created_idx')
    .on('credit_transactions')
    .columns(['user_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('gateway_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('api_key_id', 'text')
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'ok', 'failed', 'cached')`),
    )
    .addColumn('provider', 'text')
    .addColumn('model', 'text')
    .addColumn('input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('output_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_reserved', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credits_charged', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('latency_ms', 'integer')
    .addColumn('attempts', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('idempotency_key', 'text')
    .addColumn('response', 'jsonb')
    .addColumn('prompt', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('gateway_requests_user_idempotency_key', ['user_id', 'idempotency_key'])
    .execute();
  await db.schema
    .createIndex('gateway_requests_user_created_idx')
    .on('gateway_requests')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('gateway_requests_created_idx')
    .on('gateway_requests')
    .column('created_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('gateway_requests').execute();
  await db.schema.dropTable('credit_transactions').execute();
  await db.schema.dropTable('credit_balances').execute();
}
