import { z } from 'zod';
import { input, text, timeZone } from '../../schemas/index.ts';

export const emailSchema = z
  .email({ error: 'expected an email address' })
  .max(254)
  .transform((value) => value.trim());
// Length and the common-password rule are checked by the service, which names the rule broken.
export const passwordSchema = text().max(1024);
export const displayNameSchema = text().trim().min(1).max(100);
export const timeZoneSchema = timeZone();
export const localeSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'expected a locale such as en or fr-FR');

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(['user', 'admin']),
  tier: z.enum(['FREE', 'PREMIUM']),
  timeZone: z.string(),
  locale: z.string(),
});

export const sessionGrantSchema = z.object({
  token: z.string(),
  expiresAt: z.date(),
  user: userSchema,
});

export const registerInput = input({
  email: emailSchema,
  password: passwordSchema,
  displayName: displayNameSchema,
  timeZone: timeZoneSchema.optional(),
  locale: localeSchema.optional(),
});

export const loginInput = input({ email: emailSchema, password: passwordSchema });

export const updateProfileInput = input({
  displayName: displayNameSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  locale: localeSchema.optional(),
}).refine((v) => Object.values(v).some((x) => x !== undefined), { error: 'nothing to update' });

export const changePasswordInput = input({
  currentPassword: passwordSchema,
  newPassword: passwordSchema,
});

export const requestPasswordResetInput = input({ email: emailSchema });
export const resetPasswordInput = input({
  token: text().min(1).max(200),
  newPassword: passwordSchema,
});

export const sessionSchema = z.object({
  id: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date(),
  expiresAt: z.date(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});

export const apiKeyScopeSchema = z.enum(['read', 'write', 'admin']);
export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(apiKeyScopeSchema),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

export const createApiKeyInput = input({
  name: text().trim().min(1).max(100),
  scopes: z.array(apiKeyScopeSchema).min(1).max(3),
  expiresInDays: z.int().min(1).max(3650).optional(),
});

export const listApiKeysInput = input({
  limit: z.int().min(1).max(100).default(20),
  /** `nextCursor` of the page before; newest keys first. */
  cursor: text().max(300).optional(),
}).default({ limit: 20 });

export const apiKeyPageSchema = z.object({
  items: z.array(apiKeySchema),
  nextCursor: z.string().nullable(),
});

export const userIdInput = input({ userId: z.uuid() });
export const sessionIdInput = input({ sessionId: text().min(1).max(64) });
export const keyIdInput = input({ keyId: text().min(1).max(64) });

export const okSchema = z.object({ ok: z.literal(true) });

export type User = z.infer<typeof userSchema>;
export type SessionGrant = z.infer<typeof sessionGrantSchema>;
export type Session = z.infer<typeof sessionSchema>;
export type LoginInput = z.infer<typeof loginInput>;
export type ListApiKeysInput = z.infer<typeof listApiKeysInput>;
export type ApiKeyPage = z.infer<typeof apiKeyPageSchema>;
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;
export type ResetPasswordInput = z.infer<typeof resetPasswordInput>;
export type RegisterInput = z.infer<typeof registerInput>;
export type UpdateProfileInput = z.infer<typeof updateProfileInput>;
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;
