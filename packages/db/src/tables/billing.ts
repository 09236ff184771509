import type { ColumnType, Generated, Selectable } from 'kysely';

export type PaymentProvider = 'fake' | 'stripe' | 'chargily';
export type BillingKind = 'subscription' | 'top_up';

/** One provider customer per user and provider, created once. */
export interface BillingCustomersTable {
  userId: string;
  provider: PaymentProvider;
  customerId: string;
  createdAt: ColumnType<Date, Date | undefined, never>;
}

export type BillingCheckoutStatus = 'open' | 'paid' | 'failed' | 'canceled';

/** A hosted checkout the hub opened: what was offered, at what price, to whom. */
export interface BillingCheckoutsTable {
  id: Generated<string>;
  userId: string;
  provider: PaymentProvider;
  kind: BillingKind;
  planId: string | null;
  packId: string | null;
  credits: ColumnType<number, number | undefined, number>;
  amount: number;
  currency: string;
  providerCheckoutId: string | null;
  url: ColumnType<string, string | undefined, string>;
  status: ColumnType<
    BillingCheckoutStatus,
    BillingCheckoutStatus | undefined,
    BillingCheckoutStatus
  >;
  createdAt: ColumnType<Date, Date | undefined, never>;
  completedAt: Date | null;
}

export type BillingEventStatus = 'received' | 'processed' | 'ignored' | 'failed';

/** Every verified provider event, once by (provider, event id), with how applying it went. */
export interface BillingEventsTable {
  id: Generated<string>;
  provider: PaymentProvider;
  eventId: string;
  type: string;
  payload: ColumnType<unknown, string, never>;
  /** The provider's own timestamp of the event: what ordering decisions compare. */
  providerCreatedAt: Date;
  status: ColumnType<BillingEventStatus, BillingEventStatus | undefined, BillingEventStatus>;
  error: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  receivedAt: ColumnType<Date, Date | undefined, never>;
  processedAt: Date | null;
}

export type BillingSubscriptionStatus = 'incomplete' | 'active' | 'past_due' | 'canceled';

/** The user's subscription as the latest applied provider event left it. */
export interface BillingSubscriptionsTable {
  userId: string;
  provider: PaymentProvider;
  subscriptionId: string | null;
  planId: string;
  status: BillingSubscriptionStatus;
  currentPeriodEnd: Date | null;
  graceUntil: Date | null;
  cancelAtPeriodEnd: ColumnType<boolean, boolean | undefined, boolean>;
  /** Provider timestamp of the state held: an older event does not overwrite it. */
  stateAt: Date;
  createdAt: ColumnType<Date, Date | undefined, never>;
  updatedAt: ColumnType<Date, Date | undefined, Date>;
}

export type BillingInvoiceStatus = 'paid' | 'failed' | 'refunded';

/** A subscription invoice or a top-up payment, once by (provider, provider ref). */
export interface BillingInvoicesTable {
  id: Generated<string>;
  userId: string;
  provider: PaymentProvider;
  providerRef: string;
  kind: BillingKind;
  planId: string | null;
  packId: string | null;
  credits: ColumnType<number, number | undefined, number>;
  creditsClawedBack: ColumnType<number, number | undefined, number>;
  /**
   * The largest refunded total applied (the provider's running `amount_refunded`, minor
   * units): a refund event at or under it is old news and takes nothing.
   */
  refundedAmount: ColumnType<number, number | undefined, number>;
  amount: number;
  currency: string;
  status: BillingInvoiceStatus;
  occurredAt: Date;
  createdAt: ColumnType<Date, Date | undefined, never>;
}

/** The subscription history: every change of plan, tier or status and its cause. */
export interface BillingSubscriptionEventsTable {
  id: Generated<string>;
  userId: string;
  fromPlan: string | null;
  toPlan: string | null;
  fromTier: string;
  toTier: string;
  status: string;
  cause: string;
  provider: PaymentProvider | null;
  providerEventId: string | null;
  createdAt: ColumnType<Date, Date | undefined, never>;
}

export interface BillingTables {
  billingCustomers: BillingCustomersTable;
  billingCheckouts: BillingCheckoutsTable;
  billingEvents: BillingEventsTable;
  billingSubscriptions: BillingSubscriptionsTable;
  billingInvoices: BillingInvoicesTable;
  billingSubscriptionEvents: BillingSubscriptionEventsTable;
}

export type BillingEventRow = Selectable<BillingEventsTable>;
export type BillingCheckoutRow = Selectable<BillingCheckoutsTable>;
export type BillingSubscriptionRow = Selectable<BillingSubscriptionsTable>;
export type BillingInvoiceRow = Selectable<BillingInvoicesTable>;
