#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@phoenix/config';
import { createAdminCommand, seedCommand } from './accounts.ts';
import { migrateCommand } from './migrate.ts';
import { auditRetentionCommand } from './retention.ts';
import { startCommand } from './start.ts';
import { workerCommand } from './worker.ts';

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

Configuration comes from environment variables; see README.md.`;

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
    },
  });
  const [command = 'start', ...rest] = positionals;
  if (values.help || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig(process.env);
  switch (command) {
    case 'start':
      return startCommand(config);
    case 'worker':
      return workerCommand(config);
    case 'migrate':
      return migrateCommand(config, rest[0] ?? 'up');
    case 'create-admin':
      return createAdminCommand(config, values);
    case 'seed':
      return seedCommand(config);
    case 'audit-retention':
      return auditRetentionCommand(config, values);
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
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 78; // EX_CONFIG
      return;
    }
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  },
);
