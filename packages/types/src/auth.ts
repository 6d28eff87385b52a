import * as z from 'zod/mini';
import { DateTimeSchema, MoneySchema, UuidSchema } from './common.js';
import { define } from './define.js';
import { AccountLevelSchema, AccountSchema, UserRoleSchema, UserSchema } from './identity.js';

/** `POST /rest/auth/login`. `auth_only: true` only checks the credentials. */
export const LoginRequestSchema = define(() =>
  z.strictObject({
    username: z.string().check(z.minLength(1), z.maxLength(320)),
    password: z.string().check(z.minLength(1), z.maxLength(1024)),
    account_id: z.optional(UuidSchema),
    auth_only: z.optional(z.boolean()),
  }),
);
/** The parsed form of {@link LoginRequestSchema}. */
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/**
 * A session: returned by login, refresh and masquerade. `token_lifetime` is in seconds; clients compute
 * expiry as their own clock + `token_lifetime`, because the server's clock may be skewed from theirs.
 */
export const SessionSchema = define(() =>
  z.object({
    token: z.string(),
    token_expiration: DateTimeSchema,
    token_lifetime: z.int().check(z.positive()),
    refresh_token: z.string(),
    refresh_token_expiration: DateTimeSchema,
    user: UserSchema,
    account: AccountSchema,
  }),
);
/** The parsed form of {@link SessionSchema}. */
export type Session = z.infer<typeof SessionSchema>;
/** The answer of `POST /rest/auth/login`: a {@link SessionSchema | session}. */
export const LoginResponseSchema = SessionSchema;
/** What a login answers: a {@link Session}. */
export type LoginResponse = Session;

/** The answer of a login with `auth_only: true`: the credentials are valid, no session is made. */
export const AuthOnlyResponseSchema = define(() => z.object({ valid: z.literal(true), user: UserSchema }));
/** The parsed form of {@link AuthOnlyResponseSchema}. */
export type AuthOnlyResponse = z.infer<typeof AuthOnlyResponseSchema>;

/** `POST /rest/auth/refresh`: trades a refresh token for a new session (the old one stops working). */
export const RefreshRequestSchema = define(() =>
  z.strictObject({ refresh_token: z.string().check(z.minLength(1), z.maxLength(1024)) }),
);
/** The parsed form of {@link RefreshRequestSchema}. */
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

/**
 * `POST /rest/auth/logout`. The refresh token lets a client log out after its access token expired:
 * it revokes the refresh token's whole sign-in, so nothing of it stays usable.
 */
export const LogoutRequestSchema = define(() =>
  z.strictObject({
    refresh_token: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  }),
);
/** The parsed form of {@link LogoutRequestSchema}. */
export type LogoutRequest = z.infer<typeof LogoutRequestSchema>;

/** `POST /rest/auth/masquerade`: a session acting on another account the caller may administer. */
export const MasqueradeRequestSchema = define(() => z.strictObject({ account_id: UuidSchema }));
/** The parsed form of {@link MasqueradeRequestSchema}. */
export type MasqueradeRequest = z.infer<typeof MasqueradeRequestSchema>;

/** The account inside the profile of `GET /rest/auth`. */
export const ProfileAccountSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    email: z.string(),
    name: z.string(),
    level: AccountLevelSchema,
    balance: MoneySchema,
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
    deleted_on: z.nullable(DateTimeSchema),
  }),
);

/**
 * `GET /rest/auth`: the signed-in user's profile. Objects are not strict, so extra fields (`dob`,
 * `avatar`, `gender` on some servers) and any field added later parse without error.
 */
export const ProfileSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    email: z.string(),
    wss_online: z.boolean(),
    role: UserRoleSchema,
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
    deleted_on: z.nullable(DateTimeSchema),
    token: z.string(),
    phone_number: z.nullable(z.string()),
    first_name: z.string(),
    last_name: z.string(),
    account: ProfileAccountSchema,
  }),
);
/** The parsed form of {@link ProfileSchema}. */
export type Profile = z.infer<typeof ProfileSchema>;

/** `POST /rest/token`: a long-lived API token. `ttl` in seconds, at least 60. */
export const CreateApiTokenRequestSchema = define(() =>
  z.strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(100)),
    ttl: z.coerce
      .number()
      .check(z.int(), z.gte(60, { message: 'ttl must be at least 60 seconds' }), z.lte(10 * 365 * 24 * 3600)),
  }),
);
/** The parsed form of {@link CreateApiTokenRequestSchema}. */
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequestSchema>;

/** An API token. `token` is present only in the create response: it is shown once. */
export const ApiTokenSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    name: z.string(),
    ttl: z.int(),
    token: z.optional(z.string()),
    expired_on: DateTimeSchema,
    created_on: z.optional(DateTimeSchema),
  }),
);
/** The parsed form of {@link ApiTokenSchema}. */
export type ApiToken = z.infer<typeof ApiTokenSchema>;
