import { z } from 'zod';
import { DateTimeSchema, E164Schema, MoneySchema, UuidSchema } from './common.js';

export const AccountLevelSchema = z.enum(['Level0', 'Level1', 'Level2']);
export type AccountLevel = z.infer<typeof AccountLevelSchema>;

export const AccountSchema = z.object({
  uuid: UuidSchema,
  name: z.string(),
  email: z.string(),
  level: AccountLevelSchema,
  balance: MoneySchema,
  time_zone: z.string(),
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
});
export type Account = z.infer<typeof AccountSchema>;

export const UserRoleSchema = z.enum(['Admin', 'User']);
export const UserStatusSchema = z.enum(['active', 'disabled']);
export const UserSchema = z.object({
  uuid: UuidSchema,
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  phone_number: E164Schema.nullable(),
  role: UserRoleSchema,
  api_access: z.boolean(),
  status: UserStatusSchema,
});
export type User = z.infer<typeof UserSchema>;

/** viewer = read; manager = read + write; admin = manager + users, tokens and integrator links. */
export const AccessSchema = z.enum(['admin', 'manager', 'viewer']);
export type Access = z.infer<typeof AccessSchema>;

export const MembershipSchema = z.object({
  user: UuidSchema,
  account: UuidSchema,
  access: AccessSchema,
});
export type Membership = z.infer<typeof MembershipSchema>;

/** An item of `GET /rest/accounts`. */
export const AccountAccessSchema = z.object({
  uuid: UuidSchema,
  name: z.string(),
  level: AccountLevelSchema,
  access: AccessSchema,
  default: z.boolean(),
});
export type AccountAccess = z.infer<typeof AccountAccessSchema>;

/** An item of `GET /rest/account/user`: the user and their access to this account. */
export const AccountUserSchema = UserSchema.extend({ access: AccessSchema });
export type AccountUser = z.infer<typeof AccountUserSchema>;

export const AddAccountUserRequestSchema = z.strictObject({
  email: z.email({ message: 'must be an email address' }),
  access: AccessSchema,
  first_name: z.string().max(100).optional(),
  last_name: z.string().max(100).optional(),
});
export type AddAccountUserRequest = z.infer<typeof AddAccountUserRequestSchema>;

export const UpdateAccountUserRequestSchema = z
  .strictObject({ access: AccessSchema.optional(), api_access: z.boolean().optional() })
  .refine((v) => v.access !== undefined || v.api_access !== undefined, {
    message: 'give access, api_access or both',
  });
export type UpdateAccountUserRequest = z.infer<typeof UpdateAccountUserRequestSchema>;

/**
 * `GET /rest/account/callback-secret` (account admins): the secret the account's SMS status
 * callbacks are signed with, in `Callwire-Signature` exactly like a webhook's. `POST` replaces it.
 */
export const CallbackSecretSchema = z.object({
  signing_secret: z.string(),
  created_on: DateTimeSchema,
});
export type CallbackSecret = z.infer<typeof CallbackSecretSchema>;
