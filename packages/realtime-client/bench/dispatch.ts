// The client's own cost per event, without a network: frames are handed to the client's socket
// listener directly, against `JSON.parse` of the same frames alone, interleaved in one process.
// The socket bench (run.ts) measures what users see; this one shows what the client adds, with
// none of the socket's noise. Run: pnpm --filter @callwire/realtime-client bench:dispatch
import type { WebSocketLike } from '../src/websocket.ts';
import { benchAuth as auth } from './bench-auth.ts';
import { ACCOUNT, callFrame, SUBSCRIPTION } from './frames.ts';
import './resolve-ts.ts';

// Imported after the resolve hook is in place (the sources use `.js` specifiers).
const { createRealtimeClient } = await import('../src/index.ts');
const { parseEventLenient } = await import('@callwire/types');

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);

type Listener = (event: object) => void;

/** A socket that answers auth and subscribe at once, and lets the bench hand it frames. */
class ScriptedSocket implements WebSocketLike {
  static last: ScriptedSocket | undefined;
  readyState = 0;
  readonly #listeners = new Map<string, Listener>();

  constructor() {
    ScriptedSocket.last = this;
    queueMicrotask(() => {
      this.readyState = 1;
      this.#listeners.get('open')?.({ type: 'open' });
    });
  }

  addEventListener(type: string, listener: Listener): void {
    this.#listeners.set(type, listener);
  }

  removeEventListener(type: string): void {
    this.#listeners.delete(type);
  }

  close(): void {}

  send(data: string): void {
    const frame = JSON.parse(data) as { type: string; id?: string };
    if (frame.type === 'auth')
      this.#reply({ type: 'auth', success: true, payload: { expires_on: '2099-01-01T00:00:00.000Z' } });
    else if (frame.type === 'subscribe') {
      this.#reply({
        type: 'subscribed',
        id: frame.id,
        subscription: SUBSCRIPTION,
        account_id: ACCOUNT,
        last_seq: 0,
        recovered: true,
      });
    }
  }

  /** The client's message listener (the same function receives every socket event). */
  get onMessage(): Listener {
    return this.#listeners.get('message')!;
  }

  #reply(frame: object): void {
    queueMicrotask(() => this.#listeners.get('message')?.({ type: 'message', data: JSON.stringify(frame) }));
  }
}

const frames = Array.from({ length: EVENTS }, (_, i) => callFrame(i + 1));

function cpuPerEvent(run: () => void): number {
  const cpu = process.cpuUsage();
  run();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / EVENTS;
}

function parseOnly(): number {
  let n = 0;
  const used = cpuPerEvent(() => {
    for (const data of frames) {
      const message = JSON.parse(data) as { type: string; event?: unknown };
      if (message.type === 'event' && message.event !== undefined) n += 1;
    }
  });
  if (n !== EVENTS) throw new Error(`parsed ${n} of ${EVENTS} events`);
  return used;
}

async function throughClient(validate: boolean): Promise<number> {
  const client = createRealtimeClient({
    url: 'ws://bench.invalid/ws',
    auth,
    WebSocket: ScriptedSocket,
    ...(validate ? { validate: parseEventLenient } : {}),
  });
  let n = 0;
  client.on('*', () => {
    n += 1;
  });
  await client.subscribe(['*']).ready;
  const listener = ScriptedSocket.last!.onMessage;
  const used = cpuPerEvent(() => {
    for (const data of frames) listener({ type: 'message', data });
  });
  client.dispose();
  if (n !== EVENTS) throw new Error(`delivered ${n} of ${EVENTS} events`);
  return used;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const parse: number[] = [];
const validated: number[] = [];
const unvalidated: number[] = [];
// Warm-up, then interleaved rounds in a random order.
parseOnly();
await throughClient(true);
await throughClient(false);
const variants: [number[], () => number | Promise<number>][] = [
  [parse, parseOnly],
  [validated, () => throughClient(true)],
  [unvalidated, () => throughClient(false)],
];
for (let r = 0; r < ROUNDS; r++) {
  for (const [results, run] of [...variants].sort(() => Math.random() - 0.5)) results.push(await run());
}
const spread = (xs: number[]) => {
  const extra = xs.map((x, i) => x - parse[i]!);
  return `${Math.min(...extra).toFixed(2)}-${Math.max(...extra).toFixed(2)}`;
};
const row = (name: string, xs: number[]) =>
  `  ${name.padEnd(24)} ${median(xs).toFixed(2).padStart(6)} us CPU/event  ${(median(parse) / median(xs)).toFixed(2)}x` +
  (xs === parse
    ? ''
    : `   the client's own: +${(median(xs) - median(parse)).toFixed(2)} us (${spread(xs)} per round)`);
console.log(
  `dispatch without a socket: ${EVENTS} events per round, ${ROUNDS} rounds, medians; ratios against JSON.parse alone`,
);
console.log(row('JSON.parse alone', parse));
console.log(row('client, validated', validated));
console.log(row('client, not validated', unvalidated));
