import type { Migration } from 'kysely';
import * as m0001 from './0001_users.ts';
import * as m0002 from './0002_auth.ts';
import * as m0003 from './0003_activity.ts';
import * as m0004 from './0004_rise.ts';
import * as m0005 from './0005_aube.ts';
import * as m0006 from './0006_gateway.ts';
import * as m0007 from './0007_admin.ts';
import * as m0008 from './0008_gateway_stream_status.ts';
import * as m0009 from './0009_gateway_pending_index.ts';
import * as m0010 from './0010_users_known_time_zone.ts';
import * as m0011 from './0011_domain_events.ts';
import * as m0012 from './0012_webhooks_email.ts';
import * as m0013 from './0013_email_event_id.ts';
import * as m0014 from './0014_luna.ts';
import * as m0016 from './0016_champion.ts';
import * as m0018 from './0018_billing.ts';
import * as m0019 from './0019_gdpr.ts';
import * as m0020 from './0020_invoice_refunded_amount.ts';
import * as m0021 from './0021_personal_data_mentions.ts';
import * as m0022 from './0022_query_indexes.ts';
import * as m0023 from './0023_api_keys_page_index.ts';

/**
 * Migrations in order. Imported statically (not read from disk) so they ship inside
 * any bundle. Names sort by number; a migration never changes once released.
 */
export const migrations: Record<string, Migration> = {
  '0001_users': m0001,
  '0002_auth': m0002,
  '0003_activity': m0003,
  '0004_rise': m0004,
  '0005_aube': m0005,
  '0006_gateway': m0006,
  '0007_admin': m0007,
  '0008_gateway_stream_status': m0008,
  '0009_gateway_pending_index': m0009,
  '0010_users_known_time_zone': m0010,
  '0011_domain_events': m0011,
  '0012_webhooks_email': m0012,
  '0013_email_event_id': m0013,
  '0014_luna': m0014,
  '0016_champion': m0016,
  '0018_billing': m0018,
  '0019_gdpr': m0019,
  '0020_invoice_refunded_amount': m0020,
  '0021_personal_data_mentions': m0021,
  '0022_query_indexes': m0022,
  '0023_api_keys_page_index': m0023,
};
