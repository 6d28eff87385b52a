import * as z from 'zod/mini';
import { DateTimeSchema, E164Schema, MoneySchema, UuidSchema } from './common.js';
import { define } from './define.js';

/** An account's service level. */
export const AccountLevelSchema = define(() => z.enum(['Level0', 'Level1', 'Level2']));
/** The parsed form of {@link AccountLevelSchema}. */
export type AccountLevel = z.infer<typeof AccountLevelSchema>;

/** An account: the owner of numbers, messages, calls and a balance. */
export const AccountSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    name: z.string(),
    email: z.string(),
    level: AccountLevelSchema,
    balance: MoneySchema,
    time_zone: z.string(),
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link AccountSchema}. */
export type Account = z.infer<typeof AccountSchema>;

/** A user's role on the platform: `Admin` may administer every account. */
export const UserRoleSchema = define(() => z.enum(['Admin', 'User']));
/** Whether a user may sign in. */
export const UserStatusSchema = define(() => z.enum(['active', 'disabled']));
/** A user: a person who signs in and acts on the accounts they belong to. */
export const UserSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    phone_number: z.nullable(E164Schema),
    role: UserRoleSchema,
    api_access: z.boolean(),
    status: UserStatusSchema,
  }),
);
/** The parsed form of {@link UserSchema}. */
export type User = z.infer<typeof UserSchema>;

/** viewer = read; manager = read + write; admin = manager + users, tokens and integrator links. */
export const AccessSchema = define(() => z.enum(['admin', 'manager', 'viewer']));
/** The parsed form of {@link AccessSchema}. */
export type Access = z.infer<typeof AccessSchema>;

/** A user's access to one account. */
export const MembershipSchema = define(() =>
  z.object({
    user: UuidSchema,
    account: UuidSchema,
    access: AccessSchema,
  }),
);
/** The parsed form of {@link MembershipSchema}. */
export type Membership = z.infer<typeof MembershipSchema>;

/** An item of `GET /rest/accounts`. */
export const AccountAccessSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    name: z.string(),
    level: AccountLevelSchema,
    access: AccessSchema,
    default: z.boolean(),
  }),
);
/** The parsed form of {@link AccountAccessSchema}. */
export type AccountAccess = z.infer<typeof AccountAccessSchema>;

/** An item of `GET /rest/account/user`: the user and their access to this account. */
export const AccountUserSchema = define(() => z.extend(UserSchema, { access: AccessSchema }));
/** The parsed form of {@link AccountUserSchema}. */
export type AccountUser = z.infer<typeof AccountUserSchema>;

/** `POST /rest/account/user`: adds a user to the account (created when the email is new). */
export const AddAccountUserRequestSchema = define(() =>
  z.strictObject({
    email: z.email({ message: 'must be an email address' }),
    access: AccessSchema,
    first_name: z.optional(z.string().check(z.maxLength(100))),
    last_name: z.optional(z.string().check(z.maxLength(100))),
  }),
);
/** The parsed form of {@link AddAccountUserRequestSchema}. */
export type AddAccountUserRequest = z.infer<typeof AddAccountUserRequestSchema>;

/** `PATCH /rest/account/user/{uuid}`: changes a member's access, API access, or both. */
export const UpdateAccountUserRequestSchema = define(() =>
  z.strictObject({ access: z.optional(AccessSchema), api_access: z.optional(z.boolean()) }).check(
    z.refine((v) => v.access !== undefined || v.api_access !== undefined, {
      message: 'give access, api_access or both',
    }),
  ),
);
/** The parsed form of {@link UpdateAccountUserRequestSchema}. */
export type UpdateAccountUserRequest = z.infer<typeof UpdateAccountUserRequestSchema>;

/**
 * `GET /rest/account/callback-secret` (account admins): the secret the account's SMS status
 * callbacks are signed with, in `Callwire-Signature` exactly like a webhook's. `POST` replaces it.
 */
export const CallbackSecretSchema = define(() =>
  z.object({
    signing_secret: z.string(),
    created_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link CallbackSecretSchema}. */
export type CallbackSecret = z.infer<typeof CallbackSecretSchema>;
