#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@phoenix/config';
import { migrateCommand } from './migrate.ts';
import { startCommand } from './start.ts';

const USAGE = `Usage: phoenix <command>

Commands:
  start                     run migrations, then serve HTTP (default)
  migrate up|down|status    apply, revert one, or list migrations

Configuration comes from environment variables; see README.md.`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    strict: false,
    options: { help: { type: 'boolean', short: 'h' } },
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
    case 'migrate':
      return migrateCommand(config, rest[0] ?? 'up');
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
