import { sql } from '@phoenix/db';
import {
  affected,
  definePersonalData,
  mentionsWord,
  namesSubject,
} from '../../platform/personal-data/index.ts';
import { deleteProviderCustomerJob } from './jobs.ts';

const BOOKKEEPING =
  'Accounting law (invoices and payment records are kept for the statutory period, e.g. Art. L123-22 Code de commerce / § 147 AO); GDPR Art. 17(3)(b)';

/** Provider customers, checkouts, subscription, invoices and the provider events about them. */
export const billingPersonalData = definePersonalData({
  domain: 'billing',
  about:
    'Billing: your plan, subscription history, checkouts, invoices and payment provider records.',
  tables: {
    billing_customers: {
      userColumns: ['user_id', 'customer_id'],
      erasure: { kind: 'delete' },
      about: 'Your customer id at each payment provider.',
    },
    billing_checkouts: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Checkouts you opened (plan or credit pack, amount, state).',
    },
    billing_subscriptions: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Your current subscription.',
    },
    billing_subscription_events: {
      userColumns: ['user_id'],
      erasure: { kind: 'delete' },
      about: 'Every change of your plan and tier.',
    },
    billing_invoices: {
      userColumns: ['user_id'],
      erasure: { kind: 'pseudonymise', legalBasis: BOOKKEEPING },
      about: 'Each payment, refund or failure: amount, currency, what it bought.',
    },
    billing_events: {
      // The provider's payload names the customer, not a column.
      userColumns: [],
      erasure: { kind: 'delete' },
      about: 'Payment provider notifications about your payments.',
    },
  },
  async exportUserData({ db, subject }) {
    const { userId } = subject;
    const customers = await db
      .selectFrom('billingCustomers')
      .selectAll()
      .where('userId', '=', userId)
      .execute();
    const named = namingBillingEvents(subject, customers);
    return {
      billing_customers: customers,
      billing_checkouts: await db
        .selectFrom('billingCheckouts')
        .selectAll()
        .where('userId', '=', userId)
        .execute(),
      billing_subscriptions: await db
        .selectFrom('billingSubscriptions')
        .selectAll()
        .where('userId', '=', userId)
        .execute(),
      billing_subscription_events: await db
        .selectFrom('billingSubscriptionEvents')
        .selectAll()
        .where('userId', '=', userId)
        .execute(),
      billing_invoices: await db
        .selectFrom('billingInvoices')
        .selectAll()
        .where('userId', '=', userId)
        .execute(),
      billing_events: await db.selectFrom('billingEvents').selectAll().where(named).execute(),
    };
  },
  async eraseUserData({ db, subject, tombstone, jobs }) {
    const { userId } = subject;
    const customers = await db
      .selectFrom('billingCustomers')
      .select(['provider', 'customerId'])
      .where('userId', '=', userId)
      .execute();
    // The provider's own record of the person goes too, through its API, once this commits.
    for (const customer of customers) {
      await jobs.send(deleteProviderCustomerJob, customer, { db });
    }
    const events = await db
      .deleteFrom('billingEvents')
      .where(namingBillingEvents(subject, customers))
      .executeTakeFirst();
    const invoices = await db
      .updateTable('billingInvoices')
      .set({ userId: tombstone })
      .where('userId', '=', userId)
      .executeTakeFirst();
    const out: Record<string, number> = {
      billing_events: affected(events),
      billing_invoices: affected(invoices),
    };
    for (const [table, name] of [
      ['billing_customers', 'billingCustomers'],
      ['billing_checkouts', 'billingCheckouts'],
      ['billing_subscriptions', 'billingSubscriptions'],
      ['billing_subscription_events', 'billingSubscriptionEvents'],
    ] as const) {
      out[table] = affected(
        await db.deleteFrom(name).where('userId', '=', userId).executeTakeFirst(),
      );
    }
    return out;
  },
});

/**
 * A provider's event names the user by our id, their email, or the provider's customer id,
 * each as a whole (`cus_12` is not in `cus_123`).
 */
function namingBillingEvents(
  subject: { userId: string; email: string },
  customers: readonly { customerId: string }[],
) {
  const payload = sql`payload`;
  return sql<boolean>`(${sql.join(
    [namesSubject(payload, subject), ...customers.map((c) => mentionsWord(payload, c.customerId))],
    sql` or `,
  )})`;
}
