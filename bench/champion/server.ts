/**
 * The hub for bench/champion, in its own process so its memory is its own: the upload door
 * (`uploadRoute`, as `/champions/upload` uses it) at `/bench/upload`, storing under
 * argv[2], and a door that reads the body and drops it (`/bench/discard`: what HTTP and
 * this process cost without the door). Reports `{ url, token }` over IPC, then answers
 * `reset` (idle RSS) and `peak` (the highest RSS since the reset, the kernel's own mark, with
 * the CPU time and full GCs since the reset).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  constants,
  type NodeGCPerformanceDetail,
  type PerformanceEntry,
  PerformanceObserver,
} from 'node:perf_hooks';
import { createAppDeps, jobStoreFor } from '@phoenix/api';
import {
  createHttpApp,
  createLogger,
  listen,
  type PlainRoutes,
  uploadRoute,
} from '@phoenix/api/http';
import { loadConfig } from '@phoenix/config';
import { createTestDatabase } from '@phoenix/db/testing';
import { createKv } from '@phoenix/kv';
import { pino } from 'pino';
import { trpcPost } from '../trpc-post.ts';

const storageDir = process.argv[2] ?? '';
const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  STORAGE_DIR: storageDir,
  CHAMPION_UPLOAD_MAX_BYTES: String(200 * 1024 * 1024),
  AUTH_REGISTER_PER_IP_PER_HOUR: '100',
});
const database = await createTestDatabase({ url: process.env.BENCH_DATABASE_URL });
const deps = createAppDeps({
  config,
  db: database.db,
  kv: createKv({ prefix: `bench:${process.pid}:` }),
  log: createLogger(config, pino.destination({ dest: '/dev/null', sync: false })),
  jobStore: jobStoreFor(database, {
    url: process.env.BENCH_DATABASE_URL,
    schema: database.schema ?? config.jobs.schema,
    poolMax: 2,
  }),
});
await deps.jobs.start({ maintenance: false });
const door: PlainRoutes = {
  path: '/bench',
  mount: (app, appDeps) =>
    app
      .post(
        '/bench/upload',
        uploadRoute(appDeps, {
          maxBytes: appDeps.config.media.uploadMaxBytes,
          maxInFlight: appDeps.config.media.uploadsInFlight,
          idleSeconds: appDeps.config.media.uploadIdleSeconds,
          keyFor: ({ caller, type }) => `bench/${caller.user.id}/${randomUUID()}.${type.ext}`,
          onStored: async ({ upload }) => upload,
        }),
      )
      .post('/bench/discard', async (c) => {
        const incoming = c.env.incoming;
        await new Promise((resolve, reject) => {
          incoming.on('end', resolve).on('error', reject).resume();
        });
        return c.json({}, 201);
      }),
};
const { port } = await listen(createHttpApp(deps, undefined, [door]), {
  host: '127.0.0.1',
  port: 0,
});
const url = `http://127.0.0.1:${port}`;
const { token } = await trpcPost({
  url,
  path: 'auth.register',
  input: {
    email: `bench-${process.pid}@example.com`,
    password: 'correct horse battery staple',
    displayName: 'Bench',
  },
});

/**
 * The peak RSS since the last reset: the kernel's high-water mark (`VmHWM`), reset by
 * writing 5 to /proc/self/clear_refs, so nothing samples (and costs CPU) during an upload.
 */
const peakRss = {
  reset(): void {
    writeFileSync('/proc/self/clear_refs', '5');
  },
  read(): number {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (!kb) throw new Error('No VmHWM in /proc/self/status');
    return Number(kb) * 1024;
  },
};
let cpuSince = process.cpuUsage();
let fullGcs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const { kind } = (entry as PerformanceEntry & { detail: NodeGCPerformanceDetail }).detail;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) fullGcs++;
  }
}).observe({ entryTypes: ['gc'] });

process.on('message', (message: string) => {
  if (message === 'reset') {
    globalThis.gc?.();
    // The forced GC's entry reaches the observer after this turn: count from the next one.
    setTimeout(() => {
      const idle = process.memoryUsage.rss();
      peakRss.reset();
      cpuSince = process.cpuUsage();
      fullGcs = 0;
      process.send?.({ type: 'idle', rss: idle });
    }, 20);
  } else if (message === 'peak') {
    const cpu = process.cpuUsage(cpuSince);
    process.send?.({
      type: 'peak',
      rss: peakRss.read(),
      cpuMs: (cpu.user + cpu.system) / 1000,
      fullGcs,
    });
  } else if (message === 'exit') {
    process.exit(0);
  }
});
process.send?.({ type: 'ready', url, token });
