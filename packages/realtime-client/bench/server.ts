// A minimal stand-in for /ws, run in a child process so that it does not share the client's core:
// it answers auth and subscribe, then on each `blast` sends the connection's next `count`
// schema-valid call events (seqs go on from one blast to the next) as fast as the socket drains.
import { WebSocketServer } from 'ws';
import { ACCOUNT, callFrame, SUBSCRIPTION, T } from './frames.ts';

const AUTH = {
  connection: { uuid: '44444444-4444-4444-8444-444444444444', ip: '127.0.0.1' },
  user: {
    uuid: '55555555-5555-4555-8555-555555555555',
    email: 'bench@example.com',
    first_name: 'B',
    last_name: 'B',
    phone_number: null,
    role: 'User',
    api_access: true,
    status: 'active',
  },
  account: {
    uuid: ACCOUNT,
    name: 'Bench',
    email: 'bench@example.com',
    level: 'Level1',
    balance: 100,
    time_zone: 'UTC',
    created_on: T,
    modified_on: T,
  },
  expires_on: '2099-01-01T00:00:00.000Z',
};

const count = Number(process.argv[2] ?? 50_000);
const bursts = Number(process.argv[3] ?? 1);
// Every frame, made before listening (not while a receiver waits), by seq - 1: every connection walks the same seqs.
const frames = Array.from({ length: count * bursts }, (_, i) => callFrame(i + 1));
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
wss.on('listening', () => {
  const address = wss.address();
  process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
});
wss.on('connection', (socket) => {
  let sent = 0;
  const blast = () => {
    const end = Math.min(sent + count, frames.length);
    const pump = () => {
      while (sent < end) {
        socket.send(frames[sent++]!);
        if (socket.bufferedAmount > 1 << 20) {
          setImmediate(pump);
          return;
        }
      }
    };
    pump();
  };
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; id?: string };
    if (message.type === 'auth') socket.send(JSON.stringify({ type: 'auth', success: true, payload: AUTH }));
    else if (message.type === 'subscribe') {
      socket.send(
        JSON.stringify({
          type: 'subscribed',
          id: message.id,
          subscription: SUBSCRIPTION,
          account_id: ACCOUNT,
          last_seq: 0,
          recovered: true,
        }),
      );
    } else if (message.type === 'blast') blast();
    else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong', id: message.id }));
  });
});
