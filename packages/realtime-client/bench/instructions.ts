// One side of the socket bench on its own, for an instruction counter: one connection receives
// BENCH_EVENTS events from the bench server (in a child process, not counted), then the process
// exits. Run it under `valgrind --tool=callgrind --trace-children=no node --single-threaded
// --conditions=source bench/instructions.ts <raw|client|validated>` with two event counts: the
// difference of the totals divided by the difference of the counts is the side's instructions per
// event, free of startup and of the machine's load.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { benchAuth as auth } from './bench-auth.ts';
import './resolve-ts.ts';

const { createRealtimeClient } = await import('../src/index.ts');
const { parseEventLenient } = await import('@callwire/types');

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const side = process.argv[2] ?? 'raw';

const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [String(EVENTS), '1'], {
  stdio: 'inherit',
});
const port = await new Promise<number>((resolve) =>
  child.once('message', (m: { port: number }) => resolve(m.port)),
);
const url = `ws://127.0.0.1:${port}/ws`;

let lastSocket: WebSocket | undefined;
const BenchSocket = class extends WebSocket {
  constructor(address: string) {
    super(address);
    lastSocket = this;
  }
};

let n = 0;
const done = new Promise<void>((resolve) => {
  const count = () => {
    if (++n === EVENTS) resolve();
  };
  if (side === 'raw') {
    const socket = new BenchSocket(url);
    socket.addEventListener('open', () =>
      socket.send(JSON.stringify({ type: 'auth', token: 'bench-token' })),
    );
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { type: string; event?: { seq: number } };
      if (message.type === 'auth') socket.send(JSON.stringify({ type: 'subscribe', id: 's1', types: ['*'] }));
      else if (message.type === 'subscribed') socket.send(JSON.stringify({ type: 'blast' }));
      else if (message.type === 'event' && message.event !== undefined) count();
    });
  } else {
    const client = createRealtimeClient({
      url,
      auth,
      WebSocket: BenchSocket,
      ...(side === 'validated' ? { validate: parseEventLenient } : {}),
    });
    client.on('*', count);
    void client.subscribe(['*']).ready.then(() => lastSocket!.send(JSON.stringify({ type: 'blast' })));
  }
});
await done;
child.kill();
process.exit(0);
