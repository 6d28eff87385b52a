import { Agent, createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { ConformanceRun } from './openapi-conformance.js';

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * An HTTP proxy in front of the server that records every exchange for `run` (an independent
 * OpenAPI validator), as a validating gateway would see the traffic; `run.checkRecorded()` checks
 * them later, so the suite's own timing is not slowed by compiling validators. Websocket upgrades
 * pass through untouched.
 */
export async function startValidatingProxy(
  run: ConformanceRun,
  target: { port: number },
): Promise<{ url: string; close(): Promise<void> }> {
  // Kept-alive connections to the server: the proxy must not be what a suite's timing measures.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
      const headers = flatHeaders(req);
      const upstream = request(
        {
          host: '127.0.0.1',
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8');
            run.record(
              { method: req.method ?? 'GET', url: req.url ?? '/', headers, body },
              { status: answer.statusCode ?? 0, headers: flatHeaders(answer), text },
            );
            res.writeHead(answer.statusCode ?? 502, answer.rawHeaders).end(Buffer.concat(parts));
          });
        },
      );
      upstream.on('error', (error) => res.writeHead(502).end(String(error)));
      upstream.end(chunks.length === 0 ? undefined : Buffer.concat(chunks));
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = connect(target.port, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
