#!/usr/bin/env node
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Config } from '@phoenix/config';

// Every command is a fresh process; V8's code cache (kept in the OS temp folder, keyed by
// source hash) halves the time spent compiling the modules it loads on every later run.
enableCompileCache();

const USAGE = `Usage: phoenix <command>

Commands:
  start                     run migrations, then serve HTTP (default); runs the job
                            worker too unless WORKER_IN_PROCESS=false
  worker                    run the job worker and cron schedules only (no HTTP)
  migrate up|down|status    apply, revert one, or list migrations
  create-admin              create or promote an administrator
                            (--email, --password, --name; or ADMIN_EMAIL, ADMIN_PASSWORD;
                            prompts when run in a terminal)
  seed                      create the demo user
  audit-retention           delete audit rows older than --days N (default
                            AUDIT_RETENTION_DAYS, at least 30); itself audited
  retention [--dry-run]     delete logs past their retention (RETENTION_* days) and
                            expired export archives, audited; --dry-run prints counts
  luna rebuild              replay Luna's event streams into its read models
                            (--user ID for one user), with a progress line

Configuration comes from environment variables; see README.md.`;

/**
 * Modules are imported after the enableCompileCache call, and each command imports only
 * what it runs: `migrate` never loads the HTTP app, the providers or the password tools.
 */
async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    strict: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      days: { type: 'string' },
      user: { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  const [command = 'start', ...rest] = positionals;
  if (values.help || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const { ConfigError, loadConfig } = await import('@phoenix/config');
  let config: Config;
  try {
    // The console's build in this repository, unless CONSOLE_DIR names another folder.
    const consoleDir = fileURLToPath(new URL('../../../console/dist', import.meta.url));
    config = loadConfig({ CONSOLE_DIR: consoleDir, ...process.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 78; // EX_CONFIG
  }
  switch (command) {
    case 'start':
      return (await import('./start.ts')).startCommand(config);
    case 'worker':
      return (await import('./worker.ts')).workerCommand(config);
    case 'migrate':
      return (await import('./migrate.ts')).migrateCommand(config, rest[0] ?? 'up');
    case 'create-admin':
      return (await import('./accounts.ts')).createAdminCommand(config, values);
    case 'seed':
      return (await import('./accounts.ts')).seedCommand(config);
    case 'audit-retention':
      return (await import('./retention.ts')).auditRetentionCommand(config, values);
    case 'retention':
      return (await import('./retention.ts')).retentionCommand(config, values);
    case 'luna':
      return (await import('./luna.ts')).lunaCommand(config, rest[0], values);
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main().then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  },
);
