import type { AuthStrategy } from '@callwire/auth-core';
import { createRealtimeClient, type RealtimeClient, type StateChange } from '@callwire/realtime-client';
import { type CallwireEvent, parseEventLenient } from '@callwire/types';
import { fetchWithoutCredentials } from './session.js';
import { createStore, type Store } from './store.js';

/** What the connection indicator shows. */
export type LinkStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; code?: number }
  | { kind: 'resumed'; missed: number }
  | { kind: 'closed'; message: string };

export interface LiveFeedOptions {
  wsUrl: string;
  baseUrl: string;
  /** A strategy bound to the account whose events to follow. */
  auth: AuthStrategy;
  /** The account's newest seq when the console opened it: history starts a little before it. */
  lastSeq: number;
  /**
   * How many past events to load into the timeline on start.
   * @default 100
   */
  history?: number;
  /**
   * Events kept in memory for the timeline; older ones fall off.
   * @default 1000
   */
  capacity?: number;
}

/**
 * One account's event stream for every screen: the realtime client (lossless across reconnects),
 * the timeline (newest first), the connection status, and listeners that screens use to update
 * balances, SMS and calls in place.
 */
export class LiveFeed {
  /** Newest first. */
  readonly events: Store<readonly CallwireEvent[]> = createStore<readonly CallwireEvent[]>([]);
  readonly status: Store<LinkStatus> = createStore<LinkStatus>({ kind: 'connecting' });
  readonly #client: RealtimeClient;
  readonly #listeners = new Set<(event: CallwireEvent) => void>();
  readonly #capacity: number;
  #pending: CallwireEvent[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Events replayed or backfilled before the current reconnect, to count the ones it fetched. */
  #resumeBase: number | undefined;

  constructor(options: LiveFeedOptions) {
    this.#capacity = options.capacity ?? 1000;
    this.#client = createRealtimeClient({
      url: options.wsUrl,
      baseUrl: options.baseUrl,
      auth: options.auth,
      fetch: fetchWithoutCredentials,
      validate: parseEventLenient,
    });
    this.#client.onState((change) => this.#onState(change));
    this.#client.on('*', (event) => this.#onEvent(event));
    const afterSeq = Math.max(0, options.lastSeq - (options.history ?? 100));
    this.#client.subscribe(['*'], { afterSeq });
  }

  /** Called for every event, in seq order, once. Returns the function that stops it. */
  onEvent(listener: (event: CallwireEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  dispose(): void {
    clearTimeout(this.#flushTimer);
    this.#listeners.clear();
    this.#client.dispose();
  }

  #fetchedSinceResume(): number {
    const m = this.#client.metrics();
    return m.replayed + m.backfilled - (this.#resumeBase ?? 0);
  }

  #onState(change: StateChange): void {
    switch (change.state) {
      case 'open':
        // After a drop the subscription is sent again from the last event received; what the server
        // replays (or the client backfills over REST) is what was missed, counted as it arrives.
        this.status.set(
          this.#resumeBase === undefined
            ? { kind: 'live' }
            : { kind: 'resumed', missed: this.#fetchedSinceResume() },
        );
        return;
      case 'reconnecting':
        if (this.#resumeBase === undefined || this.status.get().kind !== 'reconnecting') {
          const m = this.#client.metrics();
          this.#resumeBase = m.replayed + m.backfilled;
        }
        this.status.set(
          change.code === undefined ? { kind: 'reconnecting' } : { kind: 'reconnecting', code: change.code },
        );
        return;
      case 'closed':
        this.status.set({
          kind: 'closed',
          message: change.error instanceof Error ? change.error.message : 'The live connection was closed.',
        });
        return;
      default:
        return;
    }
  }

  #onEvent(event: CallwireEvent): void {
    if (this.status.get().kind === 'resumed')
      this.status.set({ kind: 'resumed', missed: this.#fetchedSinceResume() });
    for (const listener of [...this.#listeners]) listener(event);
    this.#pending.push(event);
    // Many events can arrive in one burst (a replay); the timeline re-renders once per burst.
    this.#flushTimer ??= setTimeout(() => this.#flush(), 0);
  }

  #flush(): void {
    this.#flushTimer = undefined;
    const fresh = this.#pending.reverse();
    this.#pending = [];
    this.events.update((old) => [...fresh, ...old].slice(0, this.#capacity));
  }
}
