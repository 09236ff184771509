import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate } from '../testing/copy-template.ts';
import { run } from '../testing/run.ts';

const cli = resolve(import.meta.dirname, 'index.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'phoenix-cli-'));
const baseEnv = {
  ...process.env,
  DATA_DIR: join(dataDir, 'start'),
  DATABASE_URL: '',
  REDIS_URL: '',
  PORT: '0',
};

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolvePromise(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
  });
}

describe('phoenix CLI', () => {
  it('refuses to start on bad configuration, naming each variable', async () => {
    const result = await run(process.execPath, [cli, 'start'], {
      env: { ...baseEnv, PORT: 'eighty', REDIS_URL: 'http://nope' },
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/PORT: expected a port number/);
    expect(result.stderr).toMatch(/REDIS_URL: expected a URL starting with redis:\/\//);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('migrates up idempotently, reports status and reverts', async () => {
    const env = { ...baseEnv, DATA_DIR: copyTemplate('empty', join(dataDir, 'migrate')) };
    const first = await run(process.execPath, [cli, 'migrate', 'up'], { env });
    expect(first.stdout).toMatch(/applied: 0001_users/);
    const again = await run(process.execPath, [cli, 'migrate', 'up'], { env });
    expect(again.stdout).toMatch(/already up to date/);
    const status = await run(process.execPath, [cli, 'migrate', 'status'], { env });
    expect(status.stdout).toMatch(/^applied {2}0001_users/m);
    const down = await run(process.execPath, [cli, 'migrate', 'down'], { env });
    expect(down.stdout).toMatch(/reverted: /);
  });

  it('create-admin makes an administrator from flags, and refuses a weak password', async () => {
    const env = { ...baseEnv, DATA_DIR: copyTemplate('migrated', join(dataDir, 'admin')) };
    const weak = await run(
      process.execPath,
      [cli, 'create-admin', '--email', 'root@example.com', '--password', 'password'],
      { env },
    );
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/commonly used/);
    const created = await run(
      process.execPath,
      [
        cli,
        'create-admin',
        '--email',
        'root@example.com',
        '--password',
        'a long admin passphrase',
        '--name',
        'Root',
      ],
      { env },
    );
    expect(created.stdout).toMatch(/created administrator root@example.com/);
    const again = await run(process.execPath, [cli, 'create-admin'], {
      env: { ...env, ADMIN_EMAIL: 'ROOT@example.com', ADMIN_PASSWORD: 'another admin passphrase' },
    });
    expect(again.stdout).toMatch(/updated administrator/);
    const seeded = await run(process.execPath, [cli, 'seed'], { env });
    expect(seeded.stdout).toMatch(/created demo user demo@phoenix.local/);

    const child = spawn(process.execPath, [cli, 'start'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = await waitForUrl(child);
    const login = await fetch(`${url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        json: { email: 'root@example.com', password: 'another admin passphrase' },
      }),
    });
    const body = (await login.json()) as { result: { data: { json: { user: { role: string } } } } };
    expect(body.result.data.json.user.role).toBe('admin');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  // The one test that starts from a folder that does not exist yet, as a first run does.
  it('starts on the embedded defaults, serves, and shuts down cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, 'start'], {
      env: baseEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = await waitForUrl(child);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ kv: { kind: 'memory' } });
    const version = await fetch(`${url}/trpc/system.version`);
    expect(await version.json()).toMatchObject({
      result: { data: { json: { node: process.version } } },
    });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
