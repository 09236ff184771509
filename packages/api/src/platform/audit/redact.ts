/**
 * Keys whose values never reach the audit log, whatever their nesting: anything ending in
 * password, secret, token or hash (passwordHash, secretHash, refreshToken…), plus a few
 * exact names. Suffixes, so counters like `apiKeysRevoked` stay readable.
 */
const SECRET_KEY =
  /(password|passwd|secret|token|hash)$|^(api_?key|authorization|cookie|credentials?)$/i;
const MAX_DEPTH = 6;

/**
 * A JSON-safe copy of a value with secrets replaced, for old/new values in the audit
 * log: dates become ISO strings, bytes are never copied.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return '[binary]';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return typeof value === 'function' ? null : value;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[REDACTED]' : redact(item, depth + 1);
  }
  return out;
}
