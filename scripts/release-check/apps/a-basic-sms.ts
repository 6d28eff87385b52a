// Browser app (a): sends one SMS with Basic credentials. The release check bundles this file from the
// packed tarballs (esbuild and rolldown, minified) and holds it to its size budget, so it uses the
// packages exactly as a user's app would: public entry points only, defaults everywhere. Response
// validation is opt-in (`validate: validateResponses('strict')` from '@callwire/rest-client/validation'),
// so this app bundles neither the schemas nor zod.
import { createBasicAuth } from '@callwire/auth-core';
import { createClient } from '@callwire/rest-client';

const baseUrl = 'http://127.0.0.1:8787';

export async function sendOne(username: string, password: string, accountId: string): Promise<string> {
  const client = createClient({
    baseUrl,
    accountId,
    auth: createBasicAuth({ baseUrl, username, password }),
  });
  const sms = await client.sms.send({
    from: '+12015550100',
    to: '+12015550123',
    message: 'Your table is ready',
  });
  return sms.uuid;
}
