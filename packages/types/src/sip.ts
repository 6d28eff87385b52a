import { z } from 'zod';
import { DateTimeSchema, PhoneNumberSchema, UuidSchema } from './common.js';

export const SipConnectionSchema = z.object({
  uuid: UuidSchema,
  name: z.string(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  transport: z.enum(['udp', 'tcp', 'tls']),
  tn_count: z.number().int().optional(),
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
});
export type SipConnection = z.infer<typeof SipConnectionSchema>;

export const CreateSipConnectionRequestSchema = z.strictObject({
  name: z.string().min(1).max(100),
  host: z.string().min(1).max(253).nullable().optional(),
  port: z.number().int().min(1).max(65535).nullable().optional(),
  transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
});
export type CreateSipConnectionRequest = z.input<typeof CreateSipConnectionRequestSchema>;
export const UpdateSipConnectionRequestSchema = CreateSipConnectionRequestSchema.partial();
export type UpdateSipConnectionRequest = z.input<typeof UpdateSipConnectionRequestSchema>;

/** `POST /rest/sip/connection/{uuid}/tnlease`: numbers by uuid or by E.164. */
export const SipTnLeaseEditRequestSchema = z
  .strictObject({
    add: z
      .array(z.union([UuidSchema, PhoneNumberSchema]))
      .max(1000)
      .optional(),
    remove: z
      .array(z.union([UuidSchema, PhoneNumberSchema]))
      .max(1000)
      .optional(),
  })
  .refine((v) => (v.add?.length ?? 0) + (v.remove?.length ?? 0) > 0, { message: 'give add, remove or both' });
export type SipTnLeaseEditRequest = z.input<typeof SipTnLeaseEditRequestSchema>;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
export const SipDomainNameSchema = z
  .string()
  .toLowerCase()
  .regex(DOMAIN, { message: 'must be a domain name such as acme.sip.example' });

export const SipDomainSchema = z.object({
  uuid: UuidSchema,
  domain: z.string(),
  name: z.string().nullable(),
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
});
export type SipDomain = z.infer<typeof SipDomainSchema>;
export const CreateSipDomainRequestSchema = z.strictObject({
  domain: SipDomainNameSchema,
  name: z.string().max(100).nullable().optional(),
});
export type CreateSipDomainRequest = z.input<typeof CreateSipDomainRequestSchema>;
export const UpdateSipDomainRequestSchema = z.strictObject({
  name: z.string().max(100).nullable().optional(),
});
export type UpdateSipDomainRequest = z.input<typeof UpdateSipDomainRequestSchema>;

/** A SIP user. The password is write-only: it is never part of a response. */
export const SipUserSchema = z.object({
  uuid: UuidSchema,
  domain: z.string(),
  username: z.string(),
  caller_id: z.string().nullable(),
  created_on: DateTimeSchema,
  modified_on: DateTimeSchema,
});
export type SipUser = z.infer<typeof SipUserSchema>;
export const CreateSipUserRequestSchema = z.strictObject({
  username: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,64}$/, { message: 'username may hold letters, digits, dot, dash, underscore' }),
  password: z.string().min(8, { message: 'password must be at least 8 characters' }).max(128),
  caller_id: PhoneNumberSchema.nullable().optional(),
});
export type CreateSipUserRequest = z.input<typeof CreateSipUserRequestSchema>;
export const UpdateSipUserRequestSchema = z.strictObject({
  password: z.string().min(8).max(128).optional(),
  caller_id: PhoneNumberSchema.nullable().optional(),
});
export type UpdateSipUserRequest = z.input<typeof UpdateSipUserRequestSchema>;
