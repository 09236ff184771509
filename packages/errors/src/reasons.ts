/**
 * Every stable reason the hub answers an error with, in one list. Clients switch on
 * `data.reason`; adding a reason here is adding to the public API (the SDK exports this
 * list and its type). A reason a service uses must be here, or it does not compile.
 *
 * This file imports nothing: the SDK bundles it, and a client must not receive a server
 * package along with it.
 */
export const ERROR_REASONS = [
  // Generic kinds, the default reason of each domain error.
  'INVALID',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'INSUFFICIENT_CREDITS',
  'UNAVAILABLE',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  // Transport: input and requests.
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'BATCH_TOO_LARGE',
  'BATCH_NOT_ALLOWED',
  'BAD_CURSOR',
  'INVALID_LIMIT',
  'METHOD_NOT_ALLOWED',
  // Stores (a 503 with Retry-After).
  'DATABASE_UNAVAILABLE',
  'KV_UNAVAILABLE',
  // Access.
  'ADMIN_ONLY',
  'API_KEY_SCOPE',
  'API_KEY_SCOPE_EXCEEDS_ROLE',
  'CROSS_SITE_REQUEST',
  'INVALID_API_KEY',
  'NOT_OWNER',
  'SELF_LOCKOUT',
  'SESSION_REQUIRED',
  // Accounts and passwords.
  'EMAIL_TAKEN',
  'INVALID_CREDENTIALS',
  'LOGIN_LOCKED',
  'PASSWORD_MATCHES_EMAIL',
  'PASSWORD_TOO_COMMON',
  'PASSWORD_TOO_LONG',
  'PASSWORD_TOO_SHORT',
  'RESET_TOKEN_INVALID',
  'WRONG_PASSWORD',
  // AI gateway.
  'ALL_PROVIDERS_FAILED',
  'GATEWAY_DEADLINE_EXCEEDED',
  'IDEMPOTENCY_IN_PROGRESS',
  'IDEMPOTENCY_KEY_USED',
  'PROVIDER_REJECTED_REQUEST',
  'REQUESTS_PER_MINUTE',
  'STREAM_INTERRUPTED',
  'TOKENS_PER_DAY',
  'UNKNOWN_ROUTE',
  // Aube (career diagnostic).
  'ANSWER_OUT_OF_RANGE',
  'CATALOG_VERSION_MISMATCH',
  'DIAGNOSTIC_NOT_FOUND',
  'INCOMPLETE_ANSWERS',
  'INVALID_SCORES',
  'NO_DIAGNOSTIC',
  'UNKNOWN_CAREER',
  'UNKNOWN_QUESTION',
  // Rise.
  'STARTED_IN_FUTURE',
  // Luna (the coach).
  'STREAM_VERSION_CONFLICT',
  'LUNA_ENERGY_DEPLETED',
  'CONVERSATION_ARCHIVED',
  // Admin.
  'EXPORT_TOO_LARGE',
  'JOB_NOT_FAILED',
  // Outbound webhooks.
  'WEBHOOK_TARGET_FORBIDDEN',
  'WEBHOOK_DELIVERY_NOT_FAILED',
  // Email.
  'EMAIL_TEMPLATE_UNKNOWN_VARIABLE',
  'EMAIL_TEMPLATE_INVALID',
  'TRACKING_LINK_INVALID',
  // Billing.
  'BILLING_UNKNOWN_PLAN',
  'BILLING_UNKNOWN_PACK',
  'BILLING_CURRENCY_UNSUPPORTED',
  'BILLING_PROVIDER_NOT_CONFIGURED',
  'BILLING_PROVIDER_UNSUPPORTED',
  'BILLING_PROVIDER_FAILED',
  'BILLING_FREE_PLAN',
  'WEBHOOK_SIGNATURE_INVALID',
  'BILLING_CHECKOUT_CLOSED',
  'BILLING_ALREADY_SUBSCRIBED',
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];
