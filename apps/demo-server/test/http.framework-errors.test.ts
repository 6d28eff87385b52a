import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { AUTH } from './helpers/requests.js';
import { startTestServer } from './helpers/test-server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ fastArgon2: true });
});
afterAll(async () => {
  await server.close();
});

interface Answer {
  status: number;
  headers: Headers | Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: envelopes are inspected freely
  body: any;
}

/** Every error answer: the contract's envelope, its request id in X-Request-Id, no Fastify code. */
function expectEnvelope(answer: Answer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({ success: false, status, code });
  const id =
    answer.headers instanceof Headers ? answer.headers.get('x-request-id') : answer.headers['x-request-id'];
  expect(id).toBe(answer.body.request_id);
  expect(JSON.stringify(answer.body)).not.toMatch(/FST_|HPE_|ERR_/);
}

async function inject(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string> = {},
  payload?: string,
) {
  const res = await server.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload }),
  });
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) };
}

async function http(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${server.url}${path}`, { headers });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** Raw bytes on a socket, for what no HTTP client will send; resolves with the parsed answer. */
function raw(bytes: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, server.host);
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const at = line.indexOf(':');
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ status: Number(lines[0]?.split(' ')[1]), headers, body: JSON.parse(body) });
    });
    socket.write(bytes);
  });
}

describe('errors raised by the framework and by Node answer in the envelope', () => {
  it('a percent-escape that does not decode is 400 invalid_request', async () => {
    expectEnvelope(
      await inject('GET', '/rest/sms/%zz', { authorization: AUTH.alice }),
      400,
      'invalid_request',
    );
    expectEnvelope(
      await inject('GET', '/rest/sms/%E0%A4%A', { authorization: AUTH.alice }),
      400,
      'invalid_request',
    );
    expectEnvelope(await http('/rest/sms/%zz', { authorization: AUTH.alice }), 400, 'invalid_request');
  });

  it('a 1,000-character id is 400 invalid_request, as a short malformed id is', async () => {
    const long = await inject('GET', `/rest/sms/${'a'.repeat(1000)}`, { authorization: AUTH.alice });
    expectEnvelope(long, 400, 'invalid_request');
    const short = await inject('GET', `/rest/sms/${'a'.repeat(40)}`, { authorization: AUTH.alice });
    expect(short.status).toBe(400);
  });

  it('a URL over 8 KiB is 414 uri_too_long, on a route and off one', async () => {
    const query = `take=1&filler=${'x'.repeat(70 * 1024)}`;
    expectEnvelope(await http(`/rest/account?${query}`, { authorization: AUTH.alice }), 414, 'uri_too_long');
    expectEnvelope(await http(`/no-such-route?${query}`), 414, 'uri_too_long');
    expectEnvelope(
      await inject('GET', `/rest/account?${query}`, { authorization: AUTH.alice }),
      414,
      'uri_too_long',
    );
  });

  it('a header line over 8 KiB or a header block over 32 KiB is 431 headers_too_large', async () => {
    const line = await http('/rest/account', { authorization: AUTH.alice, 'x-filler': 'x'.repeat(9000) });
    expectEnvelope(line, 431, 'headers_too_large');
    const many: Record<string, string> = { authorization: AUTH.alice };
    for (let i = 0; i < 6; i++) many[`x-filler-${i}`] = 'x'.repeat(7000);
    expectEnvelope(await http('/rest/account', many), 431, 'headers_too_large');
  });

  it("a head larger than Node's parser takes is 431 in the envelope, not a bare status line", async () => {
    const answer = await raw(`GET /rest/account?${'q'.repeat(200 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expectEnvelope(answer, 431, 'headers_too_large');
  });

  it('bytes that are not HTTP are 400 invalid_request in the envelope', async () => {
    expectEnvelope(await raw('HELLO THERE\r\n\r\n'), 400, 'invalid_request');
    expectEnvelope(
      await raw('GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n'),
      400,
      'invalid_request',
    );
  });

  it('bodies in a type the server does not read are 415 unsupported_media_type', async () => {
    for (const type of [
      'text/plain',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
    ]) {
      const res = await inject('POST', '/rest/auth/login', { 'content-type': type }, 'username=a');
      expectEnvelope(res, 415, 'unsupported_media_type');
    }
  });
});
