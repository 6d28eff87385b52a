/**
 * The part of a login/refresh/masquerade answer the session strategy relies on, checked by hand.
 * Only these fields are read, so a session never fails on a field the strategy does not use; and
 * no schema library is needed for it, so an app that never validates responses does not bundle one.
 */
export interface SessionPayload {
  token: string;
  token_lifetime: number;
  token_expiration: string | undefined;
  refresh_token: string;
  refresh_token_expiration: string | undefined;
  account: { uuid: string };
  user: { uuid: string } | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A uuid in `{ uuid }`, or undefined. */
export function uuidOf(value: unknown): string | undefined {
  const uuid = record(value)?.uuid;
  return typeof uuid === 'string' && UUID.test(uuid) ? uuid : undefined;
}

function dateTime(value: unknown): value is string | undefined {
  return value === undefined || (typeof value === 'string' && Number.isFinite(Date.parse(value)));
}

/** The session fields of `payload`, or the paths of those that are missing or malformed. */
export function readSessionPayload(payload: unknown): { session: SessionPayload } | { invalid: string[] } {
  const body = record(payload);
  if (body === undefined) return { invalid: ['(root)'] };
  const invalid: string[] = [];
  const { token, token_lifetime, token_expiration, refresh_token, refresh_token_expiration } = body;
  if (typeof token !== 'string') invalid.push('token');
  if (typeof token_lifetime !== 'number' || !Number.isSafeInteger(token_lifetime) || token_lifetime <= 0)
    invalid.push('token_lifetime');
  if (!dateTime(token_expiration)) invalid.push('token_expiration');
  if (typeof refresh_token !== 'string') invalid.push('refresh_token');
  if (!dateTime(refresh_token_expiration)) invalid.push('refresh_token_expiration');
  const accountId = uuidOf(body.account);
  if (accountId === undefined) invalid.push('account.uuid');
  const userId = body.user === undefined ? undefined : uuidOf(body.user);
  if (body.user !== undefined && userId === undefined) invalid.push('user.uuid');
  if (invalid.length > 0) return { invalid };
  return {
    session: {
      token: token as string,
      token_lifetime: token_lifetime as number,
      token_expiration: token_expiration as string | undefined,
      refresh_token: refresh_token as string,
      refresh_token_expiration: refresh_token_expiration as string | undefined,
      account: { uuid: accountId as string },
      user: userId === undefined ? undefined : { uuid: userId },
    },
  };
}
