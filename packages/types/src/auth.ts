import { z } from 'zod';
import { DateTimeSchema, MoneySchema, UuidSchema } from './common.js';
import { AccountLevelSchema, AccountSchema, UserRoleSchema, UserSchema } from './identity.js';

/** `POST /rest/auth/login`. `auth_only: true` only checks the credentials. */
export const LoginRequestSchema = z.strictObject({
  username: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
  account_id: UuidSchema.optional(),
  auth_only: z.boolean().optional(),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/**
 * A session: returned by login, refresh and masquerade. `token_lifetime` is in seconds; clients compute
 * expiry as their own clock + `token_lifetime` (seed 000's advice: the server's clock may be skewed).
 */
export const SessionSchema = z.object({
  token: z.string(),
  token_expiration: DateTimeSchema,
  token_lifetime: z.number().int().positive(),
  refresh_token: z.string(),
  refresh_token_expiration: DateTimeSchema,
  user: UserSchema,
  account: AccountSchema,
});
export type Session = z.infer<typeof SessionSchema>;
/** Alias kept for readers of the contract's table. */
export const LoginResponseSchema = SessionSchema;
export type LoginResponse = Session;

export const AuthOnlyResponseSchema = z.object({ valid: z.literal(true), user: UserSchema });
export type AuthOnlyResponse = z.infer<typeof AuthOnlyResponseSchema>;

export const RefreshRequestSchema = z.strictObject({ refresh_token: z.string().min(1).max(1024) });
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

/**
 * `POST /rest/auth/logout`. The refresh token lets a client log out after its access token expired:
 * it revokes the refresh token's whole sign-in, so nothing of it stays usable.
 */
export const LogoutRequestSchema = z.strictObject({
  refresh_token: z.string().min(1).max(1024).optional(),
});
export type LogoutRequest = z.infer<typeof LogoutRequestSchema>;

export const MasqueradeRequestSchema = z.strictObject({ account_id: UuidSchema });
export type MasqueradeRequest = z.infer<typeof MasqueradeRequestSchema>;

/** The account inside the seed 003 profile. */
export const ProfileAccountSchema = z.object({
  uuid: UuidSchema,
  email: z.string(),
  name: z.string(),
  level: AccountLevelSchema,
  balance: MoneySchema,
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
  deleted_on: DateTimeSchema.nullable(),
});

/**
 * `GET /rest/auth`: seed 003's profile. Objects are not strict, so the seed's extra fields (`dob`,
 * `avatar`, `gender`) and any field added later parse without error.
 */
export const ProfileSchema = z.object({
  uuid: UuidSchema,
  email: z.string(),
  wss_online: z.boolean(),
  role: UserRoleSchema,
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
  deleted_on: DateTimeSchema.nullable(),
  token: z.string(),
  phone_number: z.string().nullable(),
  first_name: z.string(),
  last_name: z.string(),
  account: ProfileAccountSchema,
});
export type Profile = z.infer<typeof ProfileSchema>;

/** `POST /rest/token`: a long-lived API token. `ttl` in seconds, at least 60. */
export const CreateApiTokenRequestSchema = z.strictObject({
  name: z.string().min(1).max(100),
  ttl: z.coerce
    .number()
    .int()
    .min(60, { message: 'ttl must be at least 60 seconds' })
    .max(10 * 365 * 24 * 3600),
});
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequestSchema>;

/** `token` is present only in the create response: it is shown once. */
export const ApiTokenSchema = z.object({
  uuid: UuidSchema,
  name: z.string(),
  ttl: z.number().int(),
  token: z.string().optional(),
  expired_on: DateTimeSchema,
  created_on: DateTimeSchema.optional(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;
