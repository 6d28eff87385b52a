// The benchmark's target: a trivial JSON server in its own process, so the client and the server
// do not share an event loop. Answers every request with one account in the contract's envelope.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = JSON.stringify({
  success: true,
  payload: {
    uuid: '6f1c1f2e-8a5b-4c1d-9e2f-0a1b2c3d4e5f',
    name: 'Acme Dental',
    email: 'office@acme.example',
    level: 'Level1',
    balance: 99.87895,
    time_zone: 'America/New_York',
    created_on: '2026-01-16T14:15:48.540Z',
    modified_on: '2026-01-16T14:15:48.540Z',
  },
});
const headers = {
  'content-type': 'application/json',
  'content-length': String(Buffer.byteLength(body)),
  'x-request-id': 'bench',
  'x-account-id': '6f1c1f2e-8a5b-4c1d-9e2f-0a1b2c3d4e5f',
};

const account = (JSON.parse(body) as { payload: unknown }).payload;
// `POST /rest/auth/login` for the session-auth variant: one token for the whole run.
const session = JSON.stringify({
  success: true,
  payload: {
    token: 'bench-session-token-0123456789',
    token_expiration: new Date(Date.now() + 3_600_000).toISOString(),
    token_lifetime: 3600,
    refresh_token: 'bench-refresh-token-0123456789',
    refresh_token_expiration: new Date(Date.now() + 86_400_000).toISOString(),
    user: {
      uuid: '7a2d2f3e-9b6c-4d2e-8f3a-1b2c3d4e5f60',
      email: 'alice@example.com',
      first_name: 'Alice',
      last_name: 'Archer',
      phone_number: null,
      role: 'User',
      api_access: true,
      status: 'active',
    },
    account,
  },
});

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/rest/auth/login') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(session);
      return;
    }
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
