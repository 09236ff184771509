import { type Kysely, sql } from 'kysely';

/**
 * `billing_invoices.refunded_amount`: the largest refunded total of a payment applied so
 * far (the provider's running `amount_refunded`, in its minor units). A refund event whose
 * total is not above it carries no new refund (a late or replayed one) and takes nothing,
 * even when the applied one was capped by the balance. Filled from the Stripe refunds
 * already applied.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table billing_invoices add column refunded_amount bigint not null default 0`.execute(
    db,
  );
  await sql`
    update billing_invoices i set refunded_amount = r.amount
    from (
      select coalesce(c->'payment_intent'->>'id', c->>'payment_intent') as payment,
        max((c->>'amount_refunded')::bigint) as amount
      from (
        select payload->'data'->'object' as c from billing_events
        where provider = 'stripe' and type = 'charge.refunded' and status = 'processed'
      ) charges
      where jsonb_typeof(c->'amount_refunded') = 'number'
      group by 1
    ) r
    where i.provider = 'stripe' and i.kind = 'top_up' and i.provider_ref = r.payment
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table billing_invoices drop column if exists refunded_amount`.execute(db);
}
