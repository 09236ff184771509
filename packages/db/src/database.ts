import type { ActivityEventsTable } from './tables/activity.ts';
import type { AdminTables } from './tables/admin.ts';
import type { AubeTables } from './tables/aube.ts';
import type { ApiKeysTable, PasswordResetTokensTable, SessionsTable } from './tables/auth.ts';
import type { BillingTables } from './tables/billing.ts';
import type { ChampionTables } from './tables/champion.ts';
import type { EmailTables } from './tables/email.ts';
import type { DomainEventsTable } from './tables/events.ts';
import type { GatewayTables } from './tables/gateway.ts';
import type { LunaTables } from './tables/luna.ts';
import type { RiseTables } from './tables/rise.ts';
import type { UsersTable } from './tables/users.ts';
import type { WebhookTables } from './tables/webhooks.ts';

/**
 * Every table the hub owns. Property names are camelCase; columns are snake_case.
 * Each domain declares its tables in tables/<domain>.ts.
 */
export interface Database
  extends RiseTables,
    AubeTables,
    GatewayTables,
    AdminTables,
    WebhookTables,
    EmailTables,
    LunaTables,
    BillingTables,
    ChampionTables {
  users: UsersTable;
  sessions: SessionsTable;
  apiKeys: ApiKeysTable;
  passwordResetTokens: PasswordResetTokensTable;
  activityEvents: ActivityEventsTable;
  domainEvents: DomainEventsTable;
}
