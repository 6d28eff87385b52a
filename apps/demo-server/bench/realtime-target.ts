// Child process of bench/realtime.ts for the memory measurement: a websocket server alone in its
// process, so that the clients' memory is not counted. `callwire`: the demo server (prints its url and
// a session token); `raw`: a bare `ws` server that keeps connections and answers nothing. Reads
// `mem` lines on stdin and answers with the heap and RSS after a full GC.
import './ts-hooks.ts';

const mode = process.argv[2] ?? 'callwire';
const gc = (globalThis as { gc?: () => void }).gc;

function memory(): { heap: number; rss: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external + m.arrayBuffers, rss: m.rss };
}

let hello: Record<string, unknown>;
if (mode === 'raw') {
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const address = wss.address() as { port: number };
  wss.on('connection', (socket) => {
    socket.on('message', () => socket.send('{"type":"auth","success":true}'));
  });
  hello = { url: `ws://127.0.0.1:${address.port}`, token: 'none' };
} else {
  const { startServer } = await import('../src/server.ts');
  const server = await startServer({ port: 0, memory: true, realtime: { maxConnectionsPerUser: 100_000 } });
  const res = await fetch(`${server.url}/rest/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice@example.com', password: 'alice-pass-1' }),
  });
  const token = ((await res.json()) as { payload: { token: string } }).payload.token;
  hello = { url: `${server.url.replace(/^http/, 'ws')}/ws`, token };
}
process.stdout.write(`${JSON.stringify(hello)}\n`);
process.stdin.setEncoding('utf8');
let buffer = '';
process.stdin.on('data', (chunk: string) => {
  buffer += chunk;
  for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    if (line === 'mem') process.stdout.write(`${JSON.stringify(memory())}\n`);
  }
});
process.stdin.on('end', () => process.exit(0));
