/**
 * `@phoenix/api/retention`: what `phoenix retention` needs and nothing more, so the command
 * does not load the HTTP app, the providers or the job queue.
 */
export {
  RETENTION_RULES,
  type RetentionCount,
  runRetention,
} from './domains/gdpr/retention.ts';
export { createFilesystemStorage } from './platform/storage/index.ts';
