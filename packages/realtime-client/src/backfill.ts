import { type AuthStrategy, type FetchLike, NetworkError, readEnvelope } from '@callwire/auth-core';
import type { EventPage } from '@callwire/types';
import { readEventPage } from './wire-checks.js';

export interface BackfillRequest {
  baseUrl: string;
  auth: AuthStrategy;
  fetch: FetchLike;
  accountId: string | undefined;
  types: readonly string[];
  afterSeq: number;
  take: number;
  signal: AbortSignal;
}

/**
 * One page of `GET /rest/event`, authorised by the strategy itself rather than by
 * rest-client, to keep this package small. A 401 gets one refresh and one retry, as everywhere.
 */
export async function fetchEventPage(request: BackfillRequest): Promise<EventPage> {
  const query = new URLSearchParams({ after_seq: String(request.afterSeq), take: String(request.take) });
  if (!(request.types.length === 1 && request.types[0] === '*')) query.set('types', request.types.join(','));
  if (request.accountId !== undefined) query.set('account_id', request.accountId);
  const url = `${request.baseUrl}/rest/event?${query}`;

  const attempt = async (): Promise<{ response: Response; credential: string | null }> => {
    const headers = new Headers({ accept: 'application/json' });
    await request.auth.authorize({ headers, url });
    try {
      const response = await request.fetch(url, { method: 'GET', headers, signal: request.signal });
      return { response, credential: headers.get('authorization') };
    } catch (cause) {
      if ((cause as { name?: unknown } | null)?.name === 'AbortError') throw cause;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new NetworkError({ message: `GET /rest/event failed: ${reason}`, cause });
    }
  };

  let { response, credential } = await attempt();
  if (response.status === 401) {
    await response.body?.cancel();
    const renewed = await request.auth.refresh(credential === null ? {} : { rejected: credential });
    if (renewed) ({ response } = await attempt());
  }
  const page = readEventPage(await readEnvelope(response));
  if (page === undefined) {
    throw new NetworkError({
      code: 'invalid_response',
      message: 'GET /rest/event returned an unexpected body',
    });
  }
  return page;
}

/** `ws://host:port/ws` → `http://host:port`: where the REST API lives when no baseUrl is given. */
export function baseUrlFromWsUrl(wsUrl: string): string {
  const url = new URL(wsUrl);
  const protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  const path = url.pathname.replace(/\/ws\/?$/, '').replace(/\/+$/, '');
  return `${protocol}//${url.host}${path}`;
}
