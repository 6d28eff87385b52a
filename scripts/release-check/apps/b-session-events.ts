// Browser app (b): signs in with a session, reads the account over REST and follows its SMS and call
// events over the websocket. The release check bundles this file from the packed tarballs (esbuild and
// rolldown, minified) and holds it to its size budget. Validation is opt-in on both clients
// (`validateResponses` from '@callwire/rest-client/validation', `parseEventLenient` from
// '@callwire/types'), so this app, which uses the defaults, bundles neither the schemas nor zod.
import { createSessionAuth } from '@callwire/auth-core';
import { createRealtimeClient } from '@callwire/realtime-client';
import { createClient } from '@callwire/rest-client';

const baseUrl = 'http://127.0.0.1:8787';

export async function follow(
  username: string,
  password: string,
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const auth = createSessionAuth({ baseUrl, username, password });
  const rest = createClient({ baseUrl, auth });
  const account = await rest.accounts.current();
  onLine(`following ${account.name}`);

  const realtime = createRealtimeClient({ url: 'ws://127.0.0.1:8787/ws', auth });
  realtime.subscribe(['sms.*', 'call.hangup']);
  realtime.on('call.hangup', (event) => onLine(`call ${event.payload.uuid} ended`));
  try {
    for await (const event of realtime.events({ types: ['sms.delivered'], signal })) {
      onLine(`sms to ${event.payload.to} delivered`);
    }
  } finally {
    await realtime.close();
  }
}
