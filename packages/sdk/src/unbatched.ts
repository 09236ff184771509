/**
 * Procedures the hub refuses inside a batch: each checks or makes a password hash, so
 * lockouts must see every call as a request of its own. The client sends them alone.
 * A server test keeps this list equal to the procedures marked `unbatchable`.
 */
export const UNBATCHED_PROCEDURES: ReadonlySet<string> = new Set([
  'auth.register',
  'auth.login',
  'auth.changePassword',
  'auth.resetPassword',
  'gdpr.erasure.request',
]);
