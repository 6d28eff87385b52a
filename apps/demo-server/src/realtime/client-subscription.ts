import { matchesAnyEventPattern } from '@callwire/types';
import type { EventBus } from '../events/event-bus.js';
import type { PublishedEvent } from '../events/published-event.js';

/** What a subscription needs to read the retained backlog of an account. */
export interface BacklogReader {
  /** The account's newest seq (0 when it has none). */
  lastSeq(accountId: string): Promise<number>;
  /** Retained events with seq > afterSeq, ascending, at most `limit`. */
  readAfter(accountId: string, afterSeq: number, limit: number): Promise<PublishedEvent[]>;
}

/** Where frames go: the connection, which knows about the socket and its back-pressure. */
export interface FrameSink {
  readonly open: boolean;
  send(frame: string): void;
  /**
   * Runs `send`s that belong together (the events of one commit) so that they reach the kernel as
   * one write rather than one system call per frame.
   */
  together(sends: () => void): void;
  /** Resolves once the socket's send buffer is small again (back-pressure for long replays). */
  drained(): Promise<void>;
}

export interface StartResult {
  lastSeq: number;
  recovered: boolean;
}

const REPLAY_PAGE = 500;

/**
 * One subscription of one connection to one account's events.
 *
 * The seam between replay and live is the whole point: the subscription starts listening to the
 * live feed (buffering) before it reads anything from the database, then replays the backlog, then
 * flushes the buffer. Every event passes one gate, `seq > lastSeq`, so an event that is both in the
 * backlog and in the buffer goes out once, and none committed in between is missed.
 */
export class ClientSubscription {
  readonly uuid: string;
  readonly accountId: string;
  readonly patterns: readonly string[];
  /** Made over REST (applies to all the user's connections) rather than by a `subscribe` frame. */
  readonly rest: boolean;
  readonly #prefix: string;
  readonly #sink: FrameSink;
  readonly #matches = new Map<string, boolean>();
  #lastSeq = 0;
  #buffer: PublishedEvent[] | null = null;
  #stopListening: (() => void) | undefined;
  #closed = false;

  constructor(options: {
    uuid: string;
    accountId: string;
    patterns: readonly string[];
    sink: FrameSink;
    rest?: boolean;
  }) {
    this.uuid = options.uuid;
    this.accountId = options.accountId;
    this.patterns = options.patterns;
    this.rest = options.rest ?? false;
    this.#sink = options.sink;
    // The frame is `{"type":"event","subscription":"…","event":<event json>}`; only the event part
    // varies, and it was serialized once when the event was published.
    this.#prefix = `{"type":"event","subscription":${JSON.stringify(this.uuid)},"event":`;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Starts the subscription. Without `afterSeq` it goes live from the account's current seq. With
   * it, it replays every retained event after `afterSeq` (or reports `recovered: false` when part of
   * that range is gone or longer than `maxReplay`), then goes live. `ready` is called once the
   * outcome is known and before any replayed event is sent, so the `subscribed` frame comes first.
   */
  async start(options: {
    bus: EventBus;
    reader: BacklogReader;
    afterSeq?: number | undefined;
    maxReplay: number;
    ready: (result: StartResult) => void;
  }): Promise<void> {
    const { bus, reader, afterSeq, maxReplay, ready } = options;
    this.#buffer = [];
    this.#stopListening = bus.listen(this.accountId, this.#onLive);
    const lastSeq = await reader.lastSeq(this.accountId);
    if (this.#closed) return;

    let recovered = true;
    let firstPage: PublishedEvent[] = [];
    if (afterSeq === undefined || afterSeq === lastSeq) {
      this.#lastSeq = lastSeq;
    } else if (afterSeq > lastSeq || lastSeq - afterSeq > maxReplay) {
      // A seq the server never issued (its history was reset) or a gap too long to replay: the
      // client backfills over REST up to lastSeq while we go live from there. Never a partial replay.
      recovered = false;
      this.#lastSeq = lastSeq;
    } else {
      firstPage = await reader.readAfter(this.accountId, afterSeq, REPLAY_PAGE);
      if (this.#closed) return;
      if (firstPage[0]?.seq !== afterSeq + 1) {
        // The event right after afterSeq is no longer retained.
        recovered = false;
        firstPage = [];
        this.#lastSeq = lastSeq;
      } else {
        this.#lastSeq = afterSeq;
      }
    }
    ready({ lastSeq, recovered });

    let page = firstPage;
    while (page.length > 0 && !this.#closed) {
      for (const event of page) this.#forward(event);
      const last = page[page.length - 1]!.seq;
      if (last >= lastSeq || page.length < REPLAY_PAGE) break;
      await this.#sink.drained();
      if (this.#closed) return;
      page = await reader.readAfter(this.accountId, last, REPLAY_PAGE);
    }
    if (this.#closed) return;
    const buffered = this.#buffer;
    this.#buffer = null;
    for (const event of buffered) this.#forward(event);
  }

  /** Goes live at once, from whatever is published next (REST-made subscriptions). */
  startLive(bus: EventBus): void {
    this.#stopListening = bus.listen(this.accountId, this.#onLive);
  }

  close(): void {
    this.#closed = true;
    this.#buffer = null;
    this.#stopListening?.();
    this.#stopListening = undefined;
  }

  readonly #onLive = (events: readonly PublishedEvent[]): void => {
    if (this.#closed) return;
    if (this.#buffer !== null) {
      for (const event of events) this.#buffer.push(event);
      return;
    }
    if (events.length === 1) this.#forward(events[0]!);
    else this.#sink.together(() => this.#forwardAll(events));
  };

  #forwardAll(events: readonly PublishedEvent[]): void {
    for (const event of events) this.#forward(event);
  }

  #forward(event: PublishedEvent): void {
    // The one gate for replayed, buffered and live events alike: exactly once, in seq order.
    if (event.seq <= this.#lastSeq) return;
    this.#lastSeq = event.seq;
    if (!this.#sink.open || !this.#selects(event.type)) return;
    this.#sink.send(`${this.#prefix}${event.json}}`);
  }

  #selects(type: string): boolean {
    let hit = this.#matches.get(type);
    if (hit === undefined) {
      hit = matchesAnyEventPattern(type, this.patterns);
      this.#matches.set(type, hit);
    }
    return hit;
  }
}
