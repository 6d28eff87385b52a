import * as z from 'zod/mini';
import { DateTimeSchema, PhoneNumberSchema, UuidSchema } from './common.js';
import { define } from './define.js';

/** A SIP connection: where calls to its numbers are sent. */
export const SipConnectionSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    name: z.string(),
    host: z.nullable(z.string()),
    port: z.nullable(z.int()),
    transport: z.enum(['udp', 'tcp', 'tls']),
    tn_count: z.optional(z.int()),
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link SipConnectionSchema}. */
export type SipConnection = z.infer<typeof SipConnectionSchema>;

/** `POST /rest/sip/connection`: transport `udp` unless said otherwise. */
export const CreateSipConnectionRequestSchema = define(() =>
  z.strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(100)),
    host: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(253)))),
    port: z.optional(z.nullable(z.int().check(z.gte(1), z.lte(65535)))),
    transport: z._default(z.enum(['udp', 'tcp', 'tls']), 'udp'),
  }),
);
/** What {@link CreateSipConnectionRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type CreateSipConnectionRequest = z.input<typeof CreateSipConnectionRequestSchema>;
/** `PATCH /rest/sip/connection/{uuid}`: any field of the create request. */
export const UpdateSipConnectionRequestSchema = define(() => z.partial(CreateSipConnectionRequestSchema));
/** What {@link UpdateSipConnectionRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type UpdateSipConnectionRequest = z.input<typeof UpdateSipConnectionRequestSchema>;

/** `POST /rest/sip/connection/{uuid}/tnlease`: numbers by uuid or by E.164. */
export const SipTnLeaseEditRequestSchema = define(() =>
  z
    .strictObject({
      add: z.optional(z.array(z.union([UuidSchema, PhoneNumberSchema])).check(z.maxLength(1000))),
      remove: z.optional(z.array(z.union([UuidSchema, PhoneNumberSchema])).check(z.maxLength(1000))),
    })
    .check(
      z.refine((v) => (v.add?.length ?? 0) + (v.remove?.length ?? 0) > 0, {
        message: 'give add, remove or both',
      }),
    ),
);
/** What {@link SipTnLeaseEditRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type SipTnLeaseEditRequest = z.input<typeof SipTnLeaseEditRequestSchema>;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
/** A SIP domain name, lower-cased. */
export const SipDomainNameSchema = define(() =>
  z
    .string()
    .check(z.toLowerCase(), z.regex(DOMAIN, { message: 'must be a domain name such as acme.sip.example' })),
);

/** A SIP domain: the home of SIP users. */
export const SipDomainSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    domain: z.string(),
    name: z.nullable(z.string()),
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link SipDomainSchema}. */
export type SipDomain = z.infer<typeof SipDomainSchema>;
/** `POST /rest/sip/domain`. */
export const CreateSipDomainRequestSchema = define(() =>
  z.strictObject({
    domain: SipDomainNameSchema,
    name: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  }),
);
/** What {@link CreateSipDomainRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type CreateSipDomainRequest = z.input<typeof CreateSipDomainRequestSchema>;
/** `PATCH /rest/sip/domain/{uuid}`: only the display name changes. */
export const UpdateSipDomainRequestSchema = define(() =>
  z.strictObject({
    name: z.optional(z.nullable(z.string().check(z.maxLength(100)))),
  }),
);
/** What {@link UpdateSipDomainRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type UpdateSipDomainRequest = z.input<typeof UpdateSipDomainRequestSchema>;

/** A SIP user. The password is write-only: it is never part of a response. */
export const SipUserSchema = define(() =>
  z.object({
    uuid: UuidSchema,
    domain: z.string(),
    username: z.string(),
    caller_id: z.nullable(z.string()),
    created_on: DateTimeSchema,
    modified_on: DateTimeSchema,
  }),
);
/** The parsed form of {@link SipUserSchema}. */
export type SipUser = z.infer<typeof SipUserSchema>;
/** `POST /rest/sip/domain/{domain}/user`. */
export const CreateSipUserRequestSchema = define(() =>
  z.strictObject({
    username: z.string().check(
      z.regex(/^[a-zA-Z0-9._-]{1,64}$/, {
        message: 'username may hold letters, digits, dot, dash, underscore',
      }),
    ),
    password: z
      .string()
      .check(z.minLength(8, { message: 'password must be at least 8 characters' }), z.maxLength(128)),
    caller_id: z.optional(z.nullable(PhoneNumberSchema)),
  }),
);
/** What {@link CreateSipUserRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type CreateSipUserRequest = z.input<typeof CreateSipUserRequestSchema>;
/** `PATCH /rest/sip/domain/{domain}/user/{uuid}`. */
export const UpdateSipUserRequestSchema = define(() =>
  z.strictObject({
    password: z.optional(z.string().check(z.minLength(8), z.maxLength(128))),
    caller_id: z.optional(z.nullable(PhoneNumberSchema)),
  }),
);
/** What {@link UpdateSipUserRequestSchema} accepts, before defaults are filled in and values (such as phone numbers) are normalised. */
export type UpdateSipUserRequest = z.input<typeof UpdateSipUserRequestSchema>;
