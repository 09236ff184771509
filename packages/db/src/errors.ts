/** Postgres SQLSTATE 23505: a unique constraint refused the write (same code on PGlite). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}
