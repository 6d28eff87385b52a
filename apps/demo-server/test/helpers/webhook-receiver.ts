import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A local webhook receiver; `respond` decides each answer's status (or hangs with 0). */
export class Receiver {
  readonly received: Received[] = [];
  respond: (n: number) => number = () => 200;
  readonly #server: Server;

  constructor(port = 0) {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = this.respond(this.received.length);
        if (status === 0) return; // never answers: the sender's timeout fires
        res.writeHead(status).end('ok');
      });
    });
    this.#server.listen(port, '127.0.0.1');
  }

  async ready(): Promise<string> {
    if (!this.#server.listening) await new Promise((r) => this.#server.once('listening', r));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  async until(n: number, timeoutMs = 10_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < n) {
      if (Date.now() > deadline) throw new Error(`only ${this.received.length}/${n} deliveries`);
      await sleep(10);
    }
    return this.received;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((r) => this.#server.close(() => r()));
  }
}
