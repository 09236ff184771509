import { findPackageJSON } from 'node:module';
import type { Config } from '@phoenix/config';

/** A package the hub imports on first use, and what needs it. */
interface LazyModule {
  name: string;
  neededFor: string;
}

/**
 * The packages this configuration will import on first use (`platform/load-once.ts`): the
 * REST door's adapter always, the S3 client when storage is a bucket, nodemailer when
 * SMTP_URL is set.
 */
export function lazyModulesFor(config: Pick<Config, 'storage' | 'mail'>): LazyModule[] {
  return [
    { name: 'trpc-to-openapi', neededFor: 'the REST door (/api)' },
    ...(config.storage.s3
      ? ['@aws-sdk/client-s3', '@aws-sdk/lib-storage'].map((name) => ({
          name,
          neededFor: 'S3 storage (STORAGE_URL / S3_BUCKET)',
        }))
      : []),
    ...(config.mail.smtpUrl ? [{ name: 'nodemailer', neededFor: 'email (SMTP_URL)' }] : []),
  ];
}

/**
 * Fails at start, naming each package, when one this configuration loads on first use is
 * not installed: otherwise the process boots, passes /readyz, and its first upload, email
 * or REST call fails. Only finds each package (its package.json); nothing is loaded, so
 * the heap they would take is still taken only on first use. An installed package whose
 * own files are broken still fails on first use (`import.meta.resolve` would check the
 * entry file, but vitest does not provide it). `from` is where they are resolved from
 * (this package, unless a test says otherwise).
 */
export function assertLazyModulesInstalled(
  config: Pick<Config, 'storage' | 'mail'>,
  from: string | URL = import.meta.url,
): void {
  const missing = lazyModulesFor(config).filter(({ name }) => {
    try {
      return findPackageJSON(name, from) === undefined;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  const list = missing.map(({ name, neededFor }) => `${name} (for ${neededFor})`).join(', ');
  throw new Error(
    `Not installed: ${list}. The hub loads these on first use; install its dependencies (npm run bootstrap, or pnpm install) before starting it.`,
  );
}
