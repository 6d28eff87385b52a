import type { AuthChange, AuthChangeListener } from './strategy.js';

/** A listener set where one throwing listener cannot stop the others or the refresh that notified it. */
export class Listeners {
  private readonly set = new Set<AuthChangeListener>();

  add(listener: AuthChangeListener): () => void {
    if (typeof listener !== 'function') throw new TypeError('onChange expects a function');
    this.set.add(listener);
    return () => {
      this.set.delete(listener);
    };
  }

  emit(change: AuthChange, onError: (error: unknown) => void): void {
    for (const listener of [...this.set]) {
      try {
        listener(change);
      } catch (error) {
        onError(error);
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
