export {
  API_KEY_INFO_COLUMNS,
  API_KEY_PREFIX,
  type ApiKeyInfo,
  type ApiKeyManager,
  createApiKeyManager,
  looksLikeApiKey,
  type ValidatedApiKey,
} from './api-keys.ts';
export {
  burnPasswordCheck,
  hashPassword,
  needsRehash,
  PASSWORD_HASH_PARAMS,
  type PasswordHashParams,
  verifyPassword,
} from './password.ts';
export {
  assertPasswordAllowed,
  commonPasswordCount,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from './password-policy.ts';
export { createResetTokenManager, type ResetTokenManager } from './reset-tokens.ts';
export {
  API_KEY_CHANGES_CHANNEL,
  type CredentialChange,
  type RevocableCacheOptions,
  SESSION_CHANGES_CHANNEL,
} from './revocable-cache.ts';
export { generateSecureRandomString, hashSecret, splitToken } from './secrets.ts';
export {
  type CreatedSession,
  createSessionManager,
  type SessionInfo,
  type SessionManager,
  type SessionPolicy,
  type ValidatedSession,
} from './sessions.ts';
export {
  createLimit,
  createLoginThrottle,
  type LocksSet,
  type LoginAttempt,
  type LoginThrottle,
  type LoginThrottleLimits,
} from './throttle.ts';
export { AUTH_USER_COLUMNS, type AuthUser } from './user.ts';
