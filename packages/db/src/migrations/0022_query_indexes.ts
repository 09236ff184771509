import { type Kysely, sql } from 'kysely';

/**
 * Indexes for queries that sorted every row of a user (or of the table) to answer a page:
 * - the credit ledger page (`where user_id order by id desc`) was served by
 *   `(user_id, created_at, id)`, so it sorted all of a user's ledger, which grows by one or
 *   two rows per AI call; `(user_id, id)` replaces it (nothing reads the ledger by date);
 * - Luna's prompt reads a conversation's last turns and the user's last mood labels by
 *   `position`, which no index held;
 * - open goal proposals, read by user and position, had no index but their key.
 * Plain `create index` inside the migration's transaction: it holds writes to these tables
 * while it builds, so on a large production database run it in a quiet hour.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index credit_transactions_user_id_idx on credit_transactions (user_id, id)`.execute(
    db,
  );
  await sql`drop index credit_transactions_user_created_idx`.execute(db);
  await sql`create index luna_messages_conversation_position_idx
    on luna_messages (conversation_id, position)`.execute(db);
  await sql`create index luna_messages_user_position_idx
    on luna_messages (user_id, position desc) where role = 'user'`.execute(db);
  await sql`create index luna_goal_proposals_user_position_idx
    on luna_goal_proposals (user_id, position)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists luna_goal_proposals_user_position_idx`.execute(db);
  await sql`drop index if exists luna_messages_user_position_idx`.execute(db);
  await sql`drop index if exists luna_messages_conversation_position_idx`.execute(db);
  await sql`create index if not exists credit_transactions_user_created_idx
    on credit_transactions (user_id, created_at, id)`.execute(db);
  await sql`drop index if exists credit_transactions_user_id_idx`.execute(db);
}
