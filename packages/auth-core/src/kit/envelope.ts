import { errorFromResponse } from '../errors/from-response.js';

/** A response body as the API sent it: its JSON, the text itself when it is not JSON, `undefined` when empty. */
export function parseBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The `payload` of a `{success, payload}` body. Any other body comes back as it is: a proxy or an
 * older server may answer with bare JSON, and the caller's schema decides whether that will do.
 */
export function envelopePayload(body: unknown): unknown {
  if (typeof body === 'object' && body !== null && 'payload' in body && 'success' in body) {
    return (body as { payload: unknown }).payload;
  }
  return body;
}

/**
 * Reads a whole response the way every Callwire client does: the payload of a 2xx answer
 * (`undefined` for 204 or an empty body), or the matching error of the family for anything else,
 * with the server's code, message and request id.
 */
export async function readEnvelope(response: Response): Promise<unknown> {
  if (response.status === 204) {
    await response.body?.cancel();
    return undefined;
  }
  const body = parseBody(await response.text());
  if (!response.ok) throw errorFromResponse(response.status, body, response.headers);
  return envelopePayload(body);
}
