import { parseEventLenient } from '@callwire/types';
import { createRealtimeClient, type RealtimeClient, type RealtimeClientOptions } from '../../src/index.js';
import { FakeAuth } from './fake-auth.js';
import type { ScriptedServer } from './scripted-server.js';

export interface Harness {
  client: RealtimeClient;
  auth: FakeAuth;
  errors: unknown[];
  states: string[];
}

/** A client against the scripted server, validating events, with a backoff that retries at once (random = 0). */
export function makeClient(server: ScriptedServer, options: Partial<RealtimeClientOptions> = {}): Harness {
  const auth = (options.auth as FakeAuth | undefined) ?? new FakeAuth();
  const client = createRealtimeClient({
    url: server.url,
    auth,
    backoff: { random: () => 0 },
    validate: parseEventLenient,
    ...options,
  });
  const errors: unknown[] = [];
  const states: string[] = [];
  client.onError((error) => errors.push(error));
  client.onState((change) => states.push(change.state));
  return { client, auth, errors, states };
}
