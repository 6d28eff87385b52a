const EVENT = { $ref: '#/components/schemas/Event' };

type Json = Record<string, unknown>;

const header = (description: string, schema: Json, required = true): Json => ({
  in: 'header',
  description,
  required,
  schema,
});

function named(entries: Record<string, Json>): Json[] {
  return Object.entries(entries).map(([name, p]) => ({ ...p, name }));
}

const SIGNATURE =
  '`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`. Verify it over the raw bytes before parsing, ' +
  'compare in constant time, and reject a `t` more than 300 s from your clock.';

/** How a receiver answers: any 2xx within `seconds`. */
const answer = (seconds: number): Json => ({
  '2XX': { description: 'Received. Any 2xx counts; the body is ignored.' },
  default: { description: `Anything else, or no answer within ${seconds} s, is a failed attempt.` },
});

/**
 * The requests the platform makes to you: OpenAPI 3.1 `webhooks`. Both carry one event object as
 * the JSON body and are signed the same way, so one verifier serves both.
 */
export const WEBHOOKS: Record<string, Json> = {
  eventDelivery: {
    post: {
      operationId: 'receiveEventDelivery',
      summary: 'An event, delivered to a webhook subscription',
      description:
        'Sent to the `url` of an active `webhook` subscription for every event matching its `types`. ' +
        'Failed attempts are retried about 1 s, 5 s, 30 s, 5 min and 30 min later, then the delivery is `failed` ' +
        'and listed in the subscription’s deliveries. Redirects are not followed. Deliveries may repeat: ' +
        'use `Callwire-Event-Id` to process each event once, and `seq` to order them.',
      tags: ['events'],
      parameters: named({
        'Callwire-Signature': header(
          `HMAC of the body with the subscription's \`signing_secret\`: ${SIGNATURE}`,
          { type: 'string', pattern: '^t=\\d+,v1=[0-9a-f]{64}$' },
        ),
        'Callwire-Event-Id': header('The event uuid (the same on every retry).', {
          type: 'string',
          format: 'uuid',
        }),
        'Callwire-Delivery-Id': header('This delivery (one per subscription and event).', {
          type: 'string',
          format: 'uuid',
        }),
        'User-Agent': header('`Callwire/<version>`.', { type: 'string', pattern: '^Callwire/' }),
        'Callwire-Attempt': header('1 for the first attempt, up to 6.', {
          type: 'integer',
          minimum: 1,
          maximum: 6,
        }),
      }),
      requestBody: { required: true, content: { 'application/json': { schema: EVENT } } },
      responses: answer(10),
    },
  },
  smsStatusCallback: {
    post: {
      operationId: 'receiveSmsStatusCallback',
      summary: "An SMS's status change, posted to its callback URL",
      description:
        'Every event of a message (`sms.created`, `sms.sent`, `sms.delivered`, `sms.failed`, `sms.received`) ' +
        "is posted once, after it happened, to the message's `custom_callback_url`, else to its messaging " +
        "profile's `callback_url`. Callbacks are not retried: read the message or its events when one is missed.",
      tags: ['messaging'],
      parameters: named({
        'Callwire-Signature': header(
          `HMAC of the body with the account's callback signing secret (\`GET /rest/account/callback-secret\`): ${SIGNATURE}`,
          { type: 'string', pattern: '^t=\\d+,v1=[0-9a-f]{64}$' },
        ),
        'Callwire-Event-Id': header('The event uuid.', { type: 'string', format: 'uuid' }),
        'Callwire-Delivery-Id': header('This callback.', { type: 'string', format: 'uuid' }),
        'Callwire-Attempt': header('Always 1: callbacks are sent once.', { type: 'integer', const: 1 }),
        'User-Agent': header('`Callwire/<version>`.', { type: 'string', pattern: '^Callwire/' }),
      }),
      requestBody: { required: true, content: { 'application/json': { schema: EVENT } } },
      responses: answer(5),
    },
  },
};
