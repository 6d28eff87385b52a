import { describe, expect, it } from 'vitest';
import { Alarm, type Sleeper } from '../../src/timers.js';
import { FakeTimers } from '../helpers/fake-timers.js';

/** A part with one deadline that records when it was woken; `next` gives its next deadline. */
class Part implements Sleeper {
  wakeAt = Number.POSITIVE_INFINITY;
  readonly woken: number[] = [];
  next: ((now: number) => number) | undefined;

  constructor(readonly alarm: Alarm) {
    alarm.add(this);
  }

  at(time: number): void {
    this.wakeAt = time;
    this.alarm.update();
  }

  wake(now: number): void {
    this.woken.push(now);
    this.wakeAt = this.next?.(now) ?? Number.POSITIVE_INFINITY;
  }
}

function setup() {
  const timers = new FakeTimers();
  const alarm = new Alarm(timers);
  const start = timers.now();
  return { timers, alarm, start, a: new Part(alarm), b: new Part(alarm) };
}

describe('alarm', () => {
  it('serves several deadlines with one timer, waking each part when its own deadline passes', () => {
    const { timers, start, a, b } = setup();
    a.at(start + 1_000);
    b.at(start + 3_000);
    expect(timers.active).toBe(1);
    timers.advance(1_000);
    expect(a.woken).toEqual([start + 1_000]);
    expect(b.woken).toEqual([]);
    expect(timers.active).toBe(1);
    timers.advance(2_000);
    expect(b.woken).toEqual([start + 3_000]);
    expect(timers.active).toBe(0);
  });

  it('a deadline brought forward re-arms the timer for it', () => {
    const { timers, start, a, b } = setup();
    a.at(start + 10_000);
    b.at(start + 2_000);
    timers.advance(2_000);
    expect(b.woken).toEqual([start + 2_000]);
    expect(a.woken).toEqual([]);
  });

  it('a timer that fires late wakes every part whose deadline passed, once, with the time it woke', () => {
    const { timers, start, a, b } = setup();
    a.at(start + 1_000);
    b.at(start + 2_000);
    timers.advanceLate(60_000);
    expect(a.woken).toEqual([start + 60_000]);
    expect(b.woken).toEqual([start + 60_000]);
    expect(timers.active).toBe(0);
  });

  it('a part that sets its next deadline while woken keeps the timer going for it', () => {
    const { timers, start, a } = setup();
    a.next = (now) => now + 5_000;
    a.at(start + 5_000);
    timers.advance(15_000);
    expect(a.woken).toEqual([start + 5_000, start + 10_000, start + 15_000]);
    expect(timers.active).toBe(1);
  });

  it('leaves no timer once no part has a deadline', () => {
    const { timers, start, a, b } = setup();
    a.at(start + 1_000);
    b.at(start + 2_000);
    a.at(Number.POSITIVE_INFINITY);
    b.at(Number.POSITIVE_INFINITY);
    expect(timers.active).toBe(0);
  });
});
