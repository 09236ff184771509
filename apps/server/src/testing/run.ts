import { type SpawnOptions, spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion, capturing its output; never rejects on a non-zero exit.
 * A hung step is killed after `timeoutMs` and fails with its name in stderr, instead of
 * the whole test timing out with no clue.
 */
export function run(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<RunResult> {
  const { timeoutMs = 120_000, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    // Own process group, so a timeout kills grandchildren (npm spawns some) that hold our pipes.
    const child = spawn(command, args, {
      ...spawnOptions,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      stderr += `\n[run] ${command} ${args.join(' ')} timed out after ${timeoutMs} ms`;
      resolve({ code: null, stdout, stderr });
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
