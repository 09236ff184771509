export const VERSION = '0.1.0';

export function versionInfo(): { name: string; version: string; node: string } {
  return { name: 'phoenix-hub', version: VERSION, node: process.version };
}
