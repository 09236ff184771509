/**
 * bench/champion: upload throughput of a BENCH_UPLOAD_MB (100) MB recording through the
 * upload door (multipart, sniffed, size-limited, streamed to storage) against a plain file
 * copy on the same disk in the same run (goal >= 70%), and the server's peak RSS above idle
 * during the upload (goal < 100 MB). The door is `uploadRoute` in its own server process
 * (bench/champion/server.ts); `uploadThroughput(url, token, file)` measures any door, e.g.
 * `BENCH_UPLOAD_URL=http://host/champions/upload BENCH_TOKEN=...` (memory then not measured).
 * Run with `pnpm --filter @phoenix/bench bench:champion` (the SDK from source).
 *
 * Also printed, to read a run on a shared machine: the server's and the client's CPU time
 * per upload and the server's full GCs (steadier than MB/s when other work competes), and
 * the same server with a door that drops the body (HTTP and this process alone: the most
 * the door could reach in this run). `BENCH_SERVER_FLAGS` passes Node flags to the server,
 * e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` or `--trace-gc`. `BENCH_CLIENT=curl` uploads with
 * curl instead of the SDK: what the server reaches when the client costs little (its CPU is
 * then not counted in the client's).
 */
import { execFile, fork } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { uploadChampion } from '@phoenix/sdk';

const MB = 1024 * 1024;
const SIZE_MB = Number(process.env.BENCH_UPLOAD_MB ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const THROUGHPUT_GOAL = 0.7;
/** `sdk` (uploadChampion, as users upload from Node) or `curl` (a client that costs little CPU). */
const CLIENT = process.env.BENCH_CLIENT === 'curl' ? 'curl' : 'sdk';
const execFileAsync = promisify(execFile);
const MEMORY_GOAL_MB = 100;

/** A WAV file of `bytes` (a real RIFF/WAVE header, then PCM-sized data), written in 1 MB steps. */
async function writeRecording(path: string, bytes: number): Promise<void> {
  const file = await open(path, 'w');
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(bytes - 8, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16_000, 24);
  header.writeUInt32LE(32_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(bytes - 44, 40);
  await file.write(header);
  const block = Buffer.alloc(MB);
  for (let i = 0; i < block.length; i += 2)
    block.writeInt16LE(Math.round(Math.sin(i / 20) * 8000), i);
  for (let written = 44; written < bytes; written += block.length) {
    await file.write(block, 0, Math.min(block.length, bytes - written));
  }
  await file.close();
}

/** MB/s of a plain stream copy of `file` to `dir` (the same disk), best of ROUNDS. */
async function copyThroughput(file: string, dir: string, bytes: number): Promise<number> {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const target = join(dir, `copy-${round}.bin`);
    const started = performance.now();
    await pipeline(createReadStream(file), createWriteStream(target));
    best = Math.max(best, bytes / MB / ((performance.now() - started) / 1000));
    await rm(target);
  }
  return best;
}

/** MB/s of uploading `file` through the door at `url` with the SDK helper (or curl), best of ROUNDS. */
export async function uploadThroughput(
  url: string,
  token: string,
  file: { path: string; bytes: number; afterEach?: () => Promise<void> },
): Promise<number> {
  const parsed = new URL(url);
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    if (CLIENT === 'curl') {
      await execFileAsync('curl', [
        '--silent',
        '--fail',
        '--header',
        `authorization: Bearer ${token}`,
        '--form',
        'name=bench',
        '--form',
        `file=@${file.path}`,
        url,
      ]);
    } else {
      await uploadChampion({ url: parsed.origin, token }, file.path, {
        path: parsed.pathname as `/${string}`,
        name: 'bench',
      });
    }
    best = Math.max(best, file.bytes / MB / ((performance.now() - started) / 1000));
    await file.afterEach?.();
  }
  return best;
}

type Reply =
  | { type: 'ready'; url: string; token: string }
  | { type: 'idle'; rss: number }
  | { type: 'peak'; rss: number; cpuMs: number; fullGcs: number };

const dir = await mkdtemp(join(tmpdir(), 'phoenix-bench-champion-'));
try {
  const bytes = SIZE_MB * MB;
  const recording = join(dir, 'recording.wav');
  await writeRecording(recording, bytes);
  const copy = await copyThroughput(recording, dir, bytes);

  let upload: number;
  let memoryMb: number | null = null;
  let perUpload: { serverCpuMs: number; clientCpuMs: number; fullGcs: number } | null = null;
  let discard: number | null = null;
  if (process.env.BENCH_UPLOAD_URL) {
    upload = await uploadThroughput(process.env.BENCH_UPLOAD_URL, process.env.BENCH_TOKEN ?? '', {
      path: recording,
      bytes,
    });
  } else {
    const storage = join(dir, 'storage');
    const flags = process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? [];
    const child = fork(new URL('./server.ts', import.meta.url), [storage], {
      execArgv: [...flags, '--expose-gc', '--conditions=@phoenix/source'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const next = () => new Promise<Reply>((resolve) => child.once('message', resolve));
    const ready = (await next()) as Extract<Reply, { type: 'ready' }>;
    const ask = async <T extends 'reset' | 'peak'>(what: T) => {
      const reply = next();
      child.send(what);
      return (await reply) as Extract<Reply, { type: T extends 'reset' ? 'idle' : 'peak' }>;
    };
    // One warm-up upload (JIT, pools), then the measured rounds from an idle baseline.
    await uploadThroughput(`${ready.url}/bench/upload`, ready.token, { path: recording, bytes: 1 });
    await rm(storage, { recursive: true, force: true });
    const idle = (await ask('reset')).rss;
    const clientCpu = process.cpuUsage();
    upload = await uploadThroughput(`${ready.url}/bench/upload`, ready.token, {
      path: recording,
      bytes,
      afterEach: () => rm(storage, { recursive: true, force: true }),
    });
    const client = process.cpuUsage(clientCpu);
    const peak = await ask('peak');
    memoryMb = (peak.rss - idle) / MB;
    perUpload = {
      serverCpuMs: peak.cpuMs / ROUNDS,
      clientCpuMs: (client.user + client.system) / 1000 / ROUNDS,
      fullGcs: peak.fullGcs / ROUNDS,
    };
    discard = await uploadThroughput(`${ready.url}/bench/discard`, ready.token, {
      path: recording,
      bytes,
    });
    child.send('exit');
  }

  const ratio = upload / copy;
  console.log(`bench/champion: ${SIZE_MB} MB recording, best of ${ROUNDS}, client ${CLIENT}`);
  console.log(`  plain file copy (same disk)   ${copy.toFixed(1)} MB/s`);
  console.log(
    `  upload door (multipart, sniffed, limited, streamed to storage)  ${upload.toFixed(1)} MB/s`,
  );
  console.log(
    `  throughput ratio ${(ratio * 100).toFixed(0)}% (goal >= ${THROUGHPUT_GOAL * 100}%): ${ratio >= THROUGHPUT_GOAL ? 'PASS' : 'MISS'}`,
  );
  if (memoryMb === null) {
    console.log('  server peak RSS above idle: not measured (an outside server)');
  } else {
    console.log(
      `  server peak RSS above idle ${memoryMb.toFixed(1)} MB (goal < ${MEMORY_GOAL_MB} MB): ${memoryMb < MEMORY_GOAL_MB ? 'PASS' : 'MISS'}`,
    );
  }
  if (perUpload && discard !== null) {
    console.log(
      `  per upload: server CPU ${perUpload.serverCpuMs.toFixed(0)} ms (all threads), ${perUpload.fullGcs.toFixed(1)} full GCs; client CPU ${perUpload.clientCpuMs.toFixed(0)} ms`,
    );
    console.log(
      `  reference: the same server dropping the body  ${discard.toFixed(1)} MB/s (${((discard / copy) * 100).toFixed(0)}% of the copy)`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
