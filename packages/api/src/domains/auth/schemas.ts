import { z } from 'zod';

const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

export const emailSchema = z
  .email({ error: 'expected an email address' })
  .max(254)
  .transform((value) => value.trim());
// Length and the common-password rule are checked by the service, which names the rule broken.
export const passwordSchema = z.string().max(1024);
export const displayNameSchema = z.string().trim().min(1).max(100);
export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, { error: 'expected an IANA time zone such as Europe/Paris' });
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

export const registerInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  displayName: displayNameSchema,
  timeZone: timeZoneSchema.optional(),
  locale: localeSchema.optional(),
});

export const loginInput = z.object({ email: emailSchema, password: passwordSchema });

export const updateProfileInput = z
  .object({
    displayName: displayNameSchema.optional(),
    timeZone: timeZoneSchema.optional(),
    locale: localeSchema.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { error: 'nothing to update' });

export const changePasswordInput = z.object({
  currentPassword: passwordSchema,
  newPassword: passwordSchema,
});

export const requestPasswordResetInput = z.object({ email: emailSchema });
export const resetPasswordInput = z.object({
  token: z.string().min(1).max(200),
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

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(apiKeyScopeSchema).min(1).max(3),
  expiresInDays: z.int().min(1).max(3650).optional(),
});

export const listApiKeysInput = z
  .object({ limit: z.int().min(1).max(100).default(20), before: z.date().optional() })
  .default({ limit: 20 });

export const okSchema = z.object({ ok: z.literal(true) });

export type User = z.infer<typeof userSchema>;
export type RegisterInput = z.infer<typeof registerInput>;
export type UpdateProfileInput = z.infer<typeof updateProfileInput>;
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;
