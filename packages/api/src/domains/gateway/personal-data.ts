import { sql } from '@phoenix/db';
import { affected, definePersonalData } from '../../platform/personal-data/index.ts';

const BOOKKEEPING =
  'Accounting law (bookkeeping records of paid credits are kept for the statutory period, e.g. Art. L123-22 Code de commerce / § 147 AO); GDPR Art. 17(3)(b)';

/** Credits (the ledger) and the request log of AI calls. */
export const gatewayPersonalData = definePersonalData({
  domain: 'gateway',
  about:
    'AI gateway: your credit balance, every credit movement, and the log of your AI calls (usage and cost).',
  tables: {
    credit_balances: {
      userColumns: ['user_id'],
      erasure: { kind: 'pseudonymise', legalBasis: BOOKKEEPING },
      about: 'Your credit balance.',
    },
    credit_transactions: {
      userColumns: ['user_id'],
      erasure: { kind: 'pseudonymise', legalBasis: BOOKKEEPING },
      about: 'Every credit movement (grant, purchase, reservation, refund) and the balance after.',
    },
    gateway_requests: {
      userColumns: ['user_id'],
      erasure: { kind: 'pseudonymise', legalBasis: BOOKKEEPING },
      about:
        'One row per AI call: route, provider, model, tokens, credits charged (and the answer, kept for replays).',
    },
  },
  async exportUserData({ db, subject }) {
    const { userId } = subject;
    return {
      credit_balances: await db
        .selectFrom('creditBalances')
        .selectAll()
        .where('userId', '=', userId)
        .execute(),
      credit_transactions: await db
        .selectFrom('creditTransactions')
        .selectAll()
        .where('userId', '=', userId)
        .orderBy('id')
        .execute(),
      gateway_requests: await db
        .selectFrom('gatewayRequests')
        .selectAll()
        .where('userId', '=', userId)
        .orderBy('createdAt')
        .execute(),
    };
  },
  /**
   * The ledger stays whole (every amount and balance), moved to the tombstone; keys and
   * references that embed the user id name the tombstone; the request log keeps usage and
   * cost but loses the prompt, the answer and the caller's own idempotency key.
   */
  async eraseUserData({ db, subject, tombstone }) {
    const { userId } = subject;
    const balances = await db
      .updateTable('creditBalances')
      .set({ userId: tombstone })
      .where('userId', '=', userId)
      .executeTakeFirst();
    const ledger = await db
      .updateTable('creditTransactions')
      .set({
        userId: tombstone,
        idempotencyKey: sql`replace(idempotency_key, ${userId}, ${tombstone})`,
        reference: sql`replace(reference, ${userId}, ${tombstone})`,
        note: sql`replace(replace(note, ${subject.email}, '[erased]'), ${subject.displayName}, '[erased]')`,
      })
      .where('userId', '=', userId)
      .executeTakeFirst();
    const requests = await db
      .updateTable('gatewayRequests')
      .set({
        userId: tombstone,
        apiKeyId: null,
        idempotencyKey: null,
        prompt: null,
        response: null,
      })
      .where('userId', '=', userId)
      .executeTakeFirst();
    return {
      credit_balances: affected(balances),
      credit_transactions: affected(ledger),
      gateway_requests: affected(requests),
    };
  },
});
