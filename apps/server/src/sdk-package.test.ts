import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestServer, type TestServer } from '@phoenix/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './testing/run.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const sdkDir = join(repoRoot, 'packages/sdk');
const pnpm = join(repoRoot, 'node_modules/.bin/pnpm');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Packages a client must never receive: the server, its storage and its tools. */
const SERVER_ONLY = [
  '@phoenix/api',
  '@phoenix/config',
  '@phoenix/db',
  '@phoenix/kv',
  '@phoenix/auth',
  '@phoenix/gateway',
  '@phoenix/errors',
  'kysely',
  'pg',
  'ioredis',
  'pino',
  'hono',
  '@hono/node-server',
  '@electric-sql/pglite',
  'prom-client',
  'zod',
];

const CONSUMER = `
import {
  checkServerVersion,
  createPhoenixClient,
  type ErrorReason,
  getErrorCode,
  getErrorReason,
  type RouterOutputs,
  SDK_VERSION,
  streamChat,
} from '@phoenix/sdk';

declare const process: { env: Record<string, string | undefined> };

const client = createPhoenixClient({ url: process.env.HUB_URL ?? '' });
const health: RouterOutputs['system']['health'] = await client.system.health.query();
const status: 'ok' | 'degraded' = health.status;
const version = await client.system.version.query();
const check = await checkServerVersion(client);

// @ts-expect-error the SDK knows every procedure; a typo does not compile
client.system.helth;
// @ts-expect-error outputs are typed: version is a string
const wrong: number = version.version;

// @ts-expect-error reasons are a closed union a client can switch on exhaustively
const notAReason: ErrorReason = 'NOT_A_REASON';
void notAReason;

let missing: string | undefined;
try {
  await (client.system as unknown as { gone: { query(): Promise<unknown> } }).gone.query();
} catch (error) {
  missing = getErrorCode(error);
}

// Streaming over SSE, signed in with a bearer token, as a script would.
const { token } = await client.auth.register.mutate({
  email: \`consumer-\${Date.now()}@example.com\`,
  password: 'correct horse battery staple',
  displayName: 'Consumer',
});
const signedIn = createPhoenixClient({ url: process.env.HUB_URL ?? '', token });
let refused: ErrorReason | undefined;
try {
  await client.auth.login.mutate({ email: 'nobody@example.com', password: 'not the password' });
} catch (error) {
  refused = getErrorReason(error);
}
let streamed = '';
let ended: string | null | undefined;
for await (const event of streamChat(signedIn, {
  messages: [{ role: 'user', content: 'One tip for a job interview?' }],
})) {
  if (event.type === 'delta') streamed += event.text;
  if (event.type === 'end') ended = event.finishReason;
}

console.log(
  JSON.stringify({
    status,
    node: version.node,
    sdk: SDK_VERSION,
    built: check.serverSdkVersion,
    compatible: check.compatible,
    missing,
    wrong: typeof wrong,
    streamed: streamed.length > 10,
    ended,
    refused,
  }),
);
`;

/**
 * The environment of a consumer outside the workspace: without the npm_* and pnpm
 * settings the runners above us (npm test, turbo, pnpm) export to their children.
 */
function outsideEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(npm|pnpm)_/i.test(name) && name !== 'NODE_OPTIONS',
    ),
  );
}

/**
 * npm finds its global npmrc (where a machine keeps settings such as its CA file) next to
 * the Node that runs it. Our scripts run on the project's pinned Node, so point npm at
 * the global config of the machine's own npm, as a consumer's shell would use.
 */
function systemNpmArgs(): string[] {
  const found = spawnSync('sh', ['-c', 'command -v npm'], {
    env: outsideEnv(),
    encoding: 'utf8',
  }).stdout.trim();
  if (!found) return [];
  // <prefix>/lib/node_modules/npm/bin/npm-cli.js -> <prefix>/etc/npmrc
  const globalConfig = resolve(realpathSync(found), '../../../../../etc/npmrc');
  return existsSync(globalConfig) ? ['--globalconfig', globalConfig] : [];
}

describe('the published SDK package', () => {
  let server: TestServer;
  let scratch: string;

  beforeAll(async () => {
    server = await startTestServer();
    scratch = mkdtempSync(join(tmpdir(), 'phoenix-sdk-consumer-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('bundles types that reference only the client libraries', () => {
    const dist = join(sdkDir, 'dist');
    const files = readdirSync(dist).filter((f) => f.endsWith('.d.ts'));
    expect(files).toEqual(expect.arrayContaining(['index.d.ts', 'react.d.ts']));
    const importsOf = (file: string) => {
      const dts = readFileSync(join(dist, file), 'utf8');
      expect(dts, file).not.toMatch(/kysely|ioredis|pino|Kysely|Logger|@phoenix\//);
      return [...dts.matchAll(/^import .*? from "([^"]+)";?$|^import "([^"]+)";?$/gm)]
        .map((m) => m[1] ?? m[2])
        .filter((name): name is string => name !== undefined && !name.startsWith('./'));
    };
    // The main entry (and the chunk it shares with the React entry) needs only tRPC's client.
    const core = files.filter((f) => f !== 'react.d.ts').flatMap(importsOf);
    expect(new Set(core)).toEqual(new Set(['@trpc/client', '@trpc/server']));
    // The React entry adds its optional peers, nothing else.
    expect(new Set(importsOf('react.d.ts'))).toEqual(
      new Set(['@trpc/client', 'react', '@tanstack/react-query', '@trpc/tanstack-react-query']),
    );
  });

  it('packs, installs outside the workspace, type-checks and runs against a live server', async () => {
    const packed = await run(pnpm, ['pack', '--pack-destination', scratch], {
      cwd: sdkDir,
      timeoutMs: 60_000,
    });
    expect(packed.code, packed.stderr).toBe(0);
    const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    // The required peers are installed by the consumer, as the SDK's README tells it to
    // (`npm install @phoenix/sdk @trpc/client @trpc/server`: today's tRPC, here the one the
    // SDK is built and tested with). Not the bare peer range: npm would then align tRPC with
    // the optional React peer's exact pins (@trpc/tanstack-react-query lags behind).
    const builtWith = (name: string): string => {
      const manifest = JSON.parse(
        readFileSync(join(sdkDir, 'node_modules', name, 'package.json'), 'utf8'),
      );
      expect(source.peerDependencies[name]).toMatch(/^\^11\./);
      return `^${manifest.version}`;
    };
    const source = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8'));
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        type: 'module',
        dependencies: {
          '@trpc/client': builtWith('@trpc/client'),
          '@trpc/server': builtWith('@trpc/server'),
          '@phoenix/sdk': `file:./${tarball}`,
        },
      }),
    );
    const installed = await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', ...systemNpmArgs()],
      {
        cwd: scratch,
        env: outsideEnv(),
        timeoutMs: 120_000,
      },
    );
    expect(installed.code, installed.stderr).toBe(0);

    const modules = join(scratch, 'node_modules');
    for (const name of SERVER_ONLY) expect(existsSync(join(modules, name)), name).toBe(false);
    expect(existsSync(join(modules, '@trpc/client'))).toBe(true);
    const installedSdk = join(modules, '@phoenix/sdk');
    const manifest = JSON.parse(readFileSync(join(installedSdk, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['eventsource', 'superjson']);
    const range = manifest.peerDependencies['@trpc/client'];
    expect(manifest.peerDependencies).toMatchObject({
      '@trpc/client': range,
      '@trpc/server': range,
    });
    // The React entry's peers are optional: a Node script installs none of them.
    for (const name of ['react', '@tanstack/react-query', '@trpc/tanstack-react-query']) {
      expect(manifest.peerDependenciesMeta[name], name).toEqual({ optional: true });
      expect(existsSync(join(modules, name)), name).toBe(false);
    }
    expect(manifest).toMatchObject({
      license: 'UNLICENSED',
      repository: { type: 'git', directory: 'packages/sdk' },
      engines: { node: expect.any(String) },
    });
    expect(manifest.exports['.']).toEqual({
      types: './dist/index.d.ts',
      default: './dist/index.js',
    });
    expect(manifest.exports['./react']).toEqual({
      types: './dist/react.d.ts',
      default: './dist/react.js',
    });
    for (const file of ['README.md', 'CHANGELOG.md']) {
      expect(existsSync(join(installedSdk, file)), file).toBe(true);
    }

    writeFileSync(join(scratch, 'consumer.ts'), CONSUMER);
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          // @trpc/server's own types use Disposable.
          lib: ['ES2022', 'DOM', 'ESNext.Disposable'],
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['consumer.ts'],
      }),
    );
    const checked = await run(process.execPath, [tsc, '-p', scratch], {
      cwd: scratch,
      timeoutMs: 60_000,
    });
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);

    const ran = await run(process.execPath, ['consumer.ts'], {
      cwd: scratch,
      env: { ...outsideEnv(), HUB_URL: server.url },
      timeoutMs: 30_000,
    });
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout.trim())).toEqual({
      status: 'ok',
      node: process.version,
      sdk: source.version,
      built: source.version,
      compatible: true,
      missing: 'NOT_FOUND',
      wrong: 'string',
      streamed: true,
      ended: 'stop',
      refused: 'INVALID_CREDENTIALS',
    });
  }, 300_000);
});
