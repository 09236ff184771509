import { createHash } from 'node:crypto';

/**
 * Strips what varies between repeats of one fault (ids, hex, numbers, quoted values)
 * so they share a fingerprint.
 */
export function normalizeMessage(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/\b[0-9a-f]{12,}\b/gi, '<hex>')
    .replace(/"[^"]*"|'[^']*'/g, '<str>')
    .replace(/\d+(\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
}

export function errorFingerprint(name: string, message: string, path: string | null): string {
  return createHash('sha256')
    .update(`${name}\n${normalizeMessage(message)}\n${path ?? ''}`)
    .digest('hex')
    .slice(0, 32);
}
