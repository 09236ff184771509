import { z } from 'zod';
import { input, text } from '../../schemas/index.ts';

export const providerSchema = z.enum(['fake', 'stripe', 'chargily']);
export const tierSchema = z.enum(['FREE', 'PREMIUM']);
const currency = z.string().regex(/^[a-z]{3}$/, 'expected a lower-case ISO 4217 code');
const catalogueId = text()
  .max(40)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a catalogue id');
const page = { limit: z.int().min(1).max(100).default(20), cursor: text().max(300).optional() };

const priceSchema = z.object({
  currency: z.string(),
  /** In the currency's minor unit (cents; DZD centimes). */
  amount: z.int(),
});

export const planSchema = z.object({
  id: z.string(),
  name: z.string(),
  tier: tierSchema,
  interval: z.enum(['month', 'year']),
  prices: z.array(priceSchema),
  /** Credits granted with each paid month (a yearly invoice grants twelve). */
  monthlyCredits: z.int(),
  /** The gateway quotas of the plan's tier, as the gateway enforces them. */
  quotas: z.object({ requestsPerMinute: z.int(), tokensPerDay: z.int() }),
});
export const planListSchema = z.object({ items: z.array(planSchema) });

export const packSchema = z.object({
  id: z.string(),
  name: z.string(),
  credits: z.int(),
  prices: z.array(priceSchema),
});
export const packListSchema = z.object({ items: z.array(packSchema) });

export const subscribeInput = input({
  plan: catalogueId,
  /** Defaults to BILLING_PROVIDER (`fake` with no configuration). */
  provider: providerSchema.optional(),
  /** Defaults to `usd` when the plan has it, else its first currency. */
  currency: currency.optional(),
});

export const topUpInput = input({
  pack: catalogueId,
  provider: providerSchema.optional(),
  /** Chargily charges in DZD only; others default to `usd` when the pack has it. */
  currency: currency.optional(),
  /** Chargily only: EDAHABIA (Algérie Poste) or CIB (SATIM). */
  paymentMethod: z.enum(['edahabia', 'cib']).optional(),
});

export const checkoutSchema = z.object({
  checkoutId: z.uuid(),
  provider: providerSchema,
  /** The hosted checkout page to send the user to. */
  url: z.string(),
});

export const portalInput = input({ provider: z.enum(['fake', 'stripe']).optional() }).default({});
export const portalSchema = z.object({ provider: providerSchema, url: z.string() });

export const subscriptionStatusSchema = z.enum([
  'none',
  'incomplete',
  'active',
  'past_due',
  'canceled',
]);

export const subscriptionSchema = z.object({
  tier: tierSchema,
  plan: planSchema.nullable(),
  status: subscriptionStatusSchema,
  provider: providerSchema.nullable(),
  /** End of the paid period: the renewal date while active. */
  renewsAt: z.date().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  /** Set after a failed payment: the tier drops to FREE then unless a payment lands. */
  graceUntil: z.date().nullable(),
});

export const invoiceSchema = z.object({
  id: z.uuid(),
  provider: providerSchema,
  kind: z.enum(['subscription', 'top_up']),
  planId: z.string().nullable(),
  packId: z.string().nullable(),
  credits: z.int(),
  creditsClawedBack: z.int(),
  amount: z.int(),
  currency: z.string(),
  status: z.enum(['paid', 'failed', 'refunded']),
  occurredAt: z.date(),
});
export const invoicePageSchema = z.object({
  items: z.array(invoiceSchema),
  nextCursor: z.string().nullable(),
});
export const pageInput = input(page).default({ limit: 20 });

export const historyItemSchema = z.object({
  id: z.uuid(),
  fromPlan: z.string().nullable(),
  toPlan: z.string().nullable(),
  fromTier: tierSchema,
  toTier: tierSchema,
  status: z.string(),
  cause: z.string(),
  provider: providerSchema.nullable(),
  providerEventId: z.string().nullable(),
  createdAt: z.date(),
});
export const historyPageSchema = z.object({
  items: z.array(historyItemSchema),
  nextCursor: z.string().nullable(),
});

// Admin.
export const eventStatusSchema = z.enum(['received', 'processed', 'ignored', 'failed']);
export const billingEventSchema = z.object({
  id: z.uuid(),
  provider: providerSchema,
  eventId: z.string(),
  type: z.string(),
  status: eventStatusSchema,
  error: z.string().nullable(),
  attempts: z.int(),
  providerCreatedAt: z.date(),
  receivedAt: z.date(),
  processedAt: z.date().nullable(),
});
export const billingEventDetailSchema = billingEventSchema.extend({ payload: z.unknown() });
export const billingEventPageSchema = z.object({
  items: z.array(billingEventSchema),
  nextCursor: z.string().nullable(),
});
export const listEventsInput = input({
  provider: providerSchema.optional(),
  /** The provider's event type, exactly (`checkout.paid`, `invoice.paid`, ...). */
  type: text().trim().min(1).max(100).optional(),
  status: eventStatusSchema.optional(),
  ...page,
}).default({ limit: 20 });
export const eventIdInput = input({ id: z.uuid() });
export const replayedSchema = z.object({ id: z.uuid(), status: eventStatusSchema });

export const changeSubscriptionInput = input({
  userId: z.uuid(),
  tier: tierSchema,
  /** Why, for the history and the audit row. */
  note: text().max(500).optional(),
});
export const changedSubscriptionSchema = z.object({
  userId: z.uuid(),
  tier: tierSchema,
  previousTier: tierSchema,
});

export type Plan = z.infer<typeof planSchema>;
export type PlanList = z.infer<typeof planListSchema>;
export type Pack = z.infer<typeof packSchema>;
export type PackList = z.infer<typeof packListSchema>;
export type SubscribeInput = z.infer<typeof subscribeInput>;
export type TopUpInput = z.infer<typeof topUpInput>;
export type Checkout = z.infer<typeof checkoutSchema>;
export type PortalInput = z.infer<typeof portalInput>;
export type Portal = z.infer<typeof portalSchema>;
export type Subscription = z.infer<typeof subscriptionSchema>;
export type Invoice = z.infer<typeof invoiceSchema>;
export type InvoicePage = z.infer<typeof invoicePageSchema>;
export type PageInput = z.infer<typeof pageInput>;
export type HistoryPage = z.infer<typeof historyPageSchema>;
export type BillingEvent = z.infer<typeof billingEventSchema>;
export type BillingEventDetail = z.infer<typeof billingEventDetailSchema>;
export type BillingEventPage = z.infer<typeof billingEventPageSchema>;
export type ListEventsInput = z.infer<typeof listEventsInput>;
export type Replayed = z.infer<typeof replayedSchema>;
export type ChangeSubscriptionInput = z.infer<typeof changeSubscriptionInput>;
export type ChangedSubscription = z.infer<typeof changedSubscriptionSchema>;
