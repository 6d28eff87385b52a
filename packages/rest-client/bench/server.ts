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

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
