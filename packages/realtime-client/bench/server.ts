// A minimal stand-in for /ws, run in a child process so that it does not share the client's core:
// it answers auth and subscribe, then sends `count` schema-valid call events as fast as the socket drains.
import { WebSocketServer } from 'ws';

const T = '2026-01-16T14:15:48.540Z';
const CALL = '33333333-3333-4333-8333-333333333333';
const ACCOUNT = '11111111-1111-4111-8111-111111111111';
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
const SUB = '66666666-6666-4666-8666-666666666666';

function frame(seq: number): string {
  const event = {
    uuid: '77777777-7777-4777-8777-777777777777',
    seq,
    type: 'call.ringing',
    account_id: ACCOUNT,
    created_on: T,
    ref_id: CALL,
    message: `Call out +12015550100 > +12015550123 - ringing`,
    payload: {
      uuid: CALL,
      direction: 'out',
      from: '+12015550100',
      to: '+12015550123',
      state: 'ringing',
      duration: 0,
      init_on: T,
      ring_on: T,
      answer_on: null,
      hangup_on: null,
      destroy_on: null,
      q850_cause: null,
      q850_cause_string: null,
      parent: null,
      batch: null,
    },
  };
  return JSON.stringify({ type: 'event', subscription: SUB, event });
}

const count = Number(process.argv[2] ?? 50_000);
const frames = Array.from({ length: count }, (_, i) => frame(i + 1));
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
wss.on('listening', () => {
  const address = wss.address();
  process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
});
wss.on('connection', (socket) => {
  const blast = () => {
    let i = 0;
    const pump = () => {
      while (i < frames.length) {
        socket.send(frames[i++]!);
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
          subscription: SUB,
          account_id: ACCOUNT,
          last_seq: 0,
          recovered: true,
        }),
      );
    } else if (message.type === 'blast') blast();
    else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong', id: message.id }));
  });
});
