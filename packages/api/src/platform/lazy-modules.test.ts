import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@phoenix/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertLazyModulesInstalled, lazyModulesFor } from './lazy-modules.ts';

const everything = loadConfig({
  STORAGE_URL: 's3://recordings/hub',
  S3_REGION: 'eu-west-1',
  S3_ACCESS_KEY_ID: 'key',
  S3_SECRET_ACCESS_KEY: 'secret',
  SMTP_URL: 'smtp://mail.example:587',
});

let empty: string;
beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), 'phoenix-no-modules-'));
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
});

describe('modules loaded on first use, checked at start', () => {
  it('are the ones this configuration will load', () => {
    expect(lazyModulesFor(loadConfig({})).map((m) => m.name)).toEqual(['trpc-to-openapi']);
    expect(lazyModulesFor(everything).map((m) => m.name)).toEqual([
      'trpc-to-openapi',
      '@aws-sdk/client-s3',
      '@aws-sdk/lib-storage',
      'nodemailer',
    ]);
  });

  it('pass when installed (here), without loading them', () => {
    expect(() => assertLazyModulesInstalled(everything)).not.toThrow();
  });

  it('fail at start where they are not installed, naming each and what needs it', () => {
    // Resolved from a folder with no node_modules above it that holds them.
    const from = pathToFileURL(join(empty, 'start.js'));
    expect(() => assertLazyModulesInstalled(everything, from)).toThrow(
      /^Not installed: trpc-to-openapi \(for the REST door \(\/api\)\), @aws-sdk\/client-s3 \(for S3 storage .*\), @aws-sdk\/lib-storage .*, nodemailer \(for email \(SMTP_URL\)\)\./,
    );
    expect(() => assertLazyModulesInstalled(loadConfig({}), from)).toThrow(
      /^Not installed: trpc-to-openapi \(for the REST door \(\/api\)\)\. /,
    );
  });
});
