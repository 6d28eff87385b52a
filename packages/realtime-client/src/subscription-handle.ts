import type { SubscribedInfo, Subscription, SubscriptionHandle } from './subscription.js';

/** What a handle asks of the client when its user unsubscribes. */
export interface Unsubscriber {
  unsubscribe(sub: Subscription): void;
}

/**
 * What `subscribe()` returns: the user's view of one subscription. A class with accessors on its
 * prototype: an object literal with getters cost every subscription three closures and a property
 * dictionary.
 */
export class Handle implements SubscriptionHandle {
  readonly key: string;
  readonly types: readonly string[];
  readonly ready: Promise<SubscribedInfo>;
  readonly #sub: Subscription;
  readonly #owner: Unsubscriber;
  #unsubscribe: (() => Promise<void>) | undefined;

  constructor(sub: Subscription, owner: Unsubscriber) {
    this.key = sub.key;
    this.types = sub.types;
    this.ready = sub.ready;
    this.#sub = sub;
    this.#owner = owner;
  }

  get accountId(): string | undefined {
    return this.#sub.serverAccount ?? this.#sub.requestedAccount;
  }

  get cursor(): number | undefined {
    return this.#sub.committed;
  }

  /**
   * A function bound to this subscription, so `const { unsubscribe } = client.subscribe(…)` works;
   * made on first read rather than kept by every idle subscription.
   */
  get unsubscribe(): () => Promise<void> {
    this.#unsubscribe ??= () => {
      this.#owner.unsubscribe(this.#sub);
      return Promise.resolve();
    };
    return this.#unsubscribe;
  }
}
