import { type CallwireEvent, matchesAnyEventPattern } from '@callwire/types';
import { release, type Ticket } from './commit-queue.js';
import { EventStream, type EventsOptions } from './event-stream.js';
import type { EventHandler } from './event-types.js';
import type { Subscription } from './subscription.js';

interface Selected {
  handlers: EventHandler<CallwireEvent>[];
  streams: EventStream<CallwireEvent>[];
}

export interface ConsumerHost {
  /** A handler threw or rejected: the event counts as handled, the stream goes on. */
  handlerFailed(error: unknown): void;
  /** A `drop-oldest` iterator discarded an event. */
  dropped(): void;
  /** Every consumer finished with `seq` of `sub`, and nothing before it is pending. */
  commit(sub: Subscription, seq: number): void;
}

const NOBODY: Selected = { handlers: [], streams: [] };

/**
 * The `on()` handlers and `events()` iterators, and running one event through those its type
 * selects: handlers in registration order, awaited, then the iterators. Synchronous all the way
 * when nothing is async; who consumes which type is worked out once per type.
 */
export class Consumers {
  readonly #host: ConsumerHost;
  readonly #handlers: { pattern: string; handler: EventHandler<CallwireEvent> }[] = [];
  // Both made on first use: an idle client with only `on()` handlers keeps neither.
  #streams: Set<EventStream<CallwireEvent>> | undefined;
  #byType: Map<string, Selected> | undefined;
  // The last type looked up and its answer: a stream of one type (most) then skips hashing each
  // event's freshly parsed type string, which cost more than comparing it with the last one.
  #lastType: string | undefined;
  #lastSelected: Selected = NOBODY;

  constructor(host: ConsumerHost) {
    this.#host = host;
  }

  addHandler(pattern: string, handler: EventHandler<CallwireEvent>): () => void {
    const entry = { pattern, handler };
    this.#handlers.push(entry);
    this.#forgetSelections();
    return () => {
      const index = this.#handlers.indexOf(entry);
      if (index === -1) return;
      this.#handlers.splice(index, 1);
      this.#forgetSelections();
    };
  }

  /** A new iterator; `endWith` set: it starts ended (the client already stopped). */
  addStream(options: EventsOptions, endWith: unknown): EventStream<CallwireEvent> {
    const stream = new EventStream<CallwireEvent>(
      {
        detach: (s) => {
          if (this.#streams?.delete(s as EventStream<CallwireEvent>)) this.#forgetSelections();
        },
        onDropped: () => this.#host.dropped(),
      },
      options,
    );
    if (endWith !== undefined) stream.end(endWith);
    else if (!stream.ended) {
      this.#streams ??= new Set();
      this.#streams.add(stream);
      this.#forgetSelections();
    }
    return stream;
  }

  /** Ends every iterator (with `error`, if given: their `for await` throws it). */
  endStreams(error?: unknown): void {
    const streams = this.#streams;
    this.#streams = undefined;
    if (streams !== undefined) for (const stream of [...streams]) stream.end(error);
    this.#forgetSelections();
  }

  removeHandlers(): void {
    this.#handlers.length = 0;
    this.#forgetSelections();
  }

  /** Hands `event` (of `sub`) to its consumers; a promise when one of them is still busy with it. */
  deliver(sub: Subscription, event: CallwireEvent): Promise<void> | undefined {
    const selected = this.#select(event.type);
    if (selected.streams.length === 0 && sub.commits.size === 0) return this.#fast(sub, event, selected);
    return this.#run(selected, event, sub.commits.open(event.seq), 0, 0);
  }

  /** Who consumes which type changed: work it out again. */
  #forgetSelections(): void {
    this.#byType = undefined;
    this.#lastType = undefined;
  }

  #select(type: string): Selected {
    if (type === this.#lastType) return this.#lastSelected;
    let selected = this.#byType?.get(type);
    if (selected === undefined) {
      const handlers = this.#handlers
        .filter((h) => matchesAnyEventPattern(type, [h.pattern]))
        .map((h) => h.handler);
      const streams = this.#streams === undefined ? [] : [...this.#streams].filter((s) => s.selects(type));
      selected = handlers.length === 0 && streams.length === 0 ? NOBODY : { handlers, streams };
      this.#byType ??= new Map();
      this.#byType.set(type, selected);
    }
    this.#lastType = type;
    this.#lastSelected = selected;
    return selected;
  }

  /**
   * The common case without iterators and with nothing uncommitted before it: sync handlers run and
   * the cursor moves with no ticket. The first handler that returns a promise hands over to `#run`.
   */
  #fast(sub: Subscription, event: CallwireEvent, selected: Selected): Promise<void> | undefined {
    const handlers = selected.handlers;
    for (let i = 0; i < handlers.length; i++) {
      let result: void | Promise<void>;
      try {
        result = handlers[i]!(event);
      } catch (error) {
        this.#host.handlerFailed(error);
        continue;
      }
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
        const ticket = sub.commits.open(event.seq);
        return this.#after(result as Promise<void>, selected, event, ticket, i + 1, 0);
      }
    }
    this.#host.commit(sub, event.seq);
    return undefined;
  }

  #run(
    selected: Selected,
    event: CallwireEvent,
    ticket: Ticket,
    h: number,
    s: number,
  ): Promise<void> | undefined {
    const { handlers, streams } = selected;
    for (let i = h; i < handlers.length; i++) {
      let result: void | Promise<void>;
      try {
        result = handlers[i]!(event);
      } catch (error) {
        this.#host.handlerFailed(error);
        continue;
      }
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
        return this.#after(result as Promise<void>, selected, event, ticket, i + 1, s);
      }
    }
    for (let j = s; j < streams.length; j++) {
      const wait = streams[j]!.offer(event, ticket);
      if (wait !== undefined)
        return wait.then(() => this.#run(selected, event, ticket, handlers.length, j + 1));
    }
    release(ticket);
    return undefined;
  }

  #after(
    pending: Promise<void>,
    selected: Selected,
    event: CallwireEvent,
    ticket: Ticket,
    h: number,
    s: number,
  ): Promise<void> {
    return pending.then(
      () => this.#run(selected, event, ticket, h, s),
      (error: unknown) => {
        this.#host.handlerFailed(error);
        return this.#run(selected, event, ticket, h, s);
      },
    );
  }
}
