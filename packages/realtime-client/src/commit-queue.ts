/**
 * One event on its way through the consumers. The cursor may move past an event only when every
 * consumer is done with it: `pending` counts the holders (the dispatch loop itself, and each
 * `events()` buffer holding it until its consumer asks for the next one).
 */
export interface Ticket {
  readonly seq: number;
  pending: number;
  readonly queue: CommitQueue;
}

export function release(ticket: Ticket): void {
  ticket.pending -= 1;
  if (ticket.pending === 0) ticket.queue.drain();
}

/** Where a queue's commits go. */
export interface CommitTarget {
  commitTo(seq: number): void;
}

/**
 * Commits seqs in order as their tickets complete: a fast handler of event 12 cannot move the
 * cursor past a slow iterator still holding event 11, or a restart would skip 11.
 */
export class CommitQueue {
  /** Made by the first ticket: most events commit without one. */
  #tickets: Ticket[] | undefined;
  #head = 0;

  readonly #target: CommitTarget;

  constructor(target: CommitTarget) {
    this.#target = target;
  }

  get size(): number {
    return this.#tickets === undefined ? 0 : this.#tickets.length - this.#head;
  }

  open(seq: number): Ticket {
    const ticket: Ticket = { seq, pending: 1, queue: this };
    this.#tickets ??= [];
    this.#tickets.push(ticket);
    return ticket;
  }

  drain(): void {
    let last: number | undefined;
    const tickets = this.#tickets;
    if (tickets === undefined) return;
    while (this.#head < tickets.length && tickets[this.#head]!.pending <= 0) {
      last = tickets[this.#head]!.seq;
      this.#head += 1;
    }
    if (this.#head === tickets.length) {
      this.#tickets = undefined;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > tickets.length) {
      this.#tickets = tickets.slice(this.#head);
      this.#head = 0;
    }
    if (last !== undefined) this.#target.commitTo(last);
  }

  /** Forget everything not yet committed (the subscription ended). */
  clear(): void {
    this.#tickets = undefined;
    this.#head = 0;
  }
}
