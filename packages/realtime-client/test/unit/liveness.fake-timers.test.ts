import { describe, expect, it } from 'vitest';
import { Liveness } from '../../src/liveness.js';
import { Alarm } from '../../src/timers.js';
import { FakeTimers } from '../helpers/fake-timers.js';

function setup() {
  const timers = new FakeTimers();
  const sent: Record<string, unknown>[] = [];
  const dead: string[] = [];
  const trips: number[] = [];
  const liveness = new Liveness(new Alarm(timers), 25_000, 10_000, {
    send: (frame) => {
      sent.push(frame);
      return true;
    },
    dead: (reason) => dead.push(reason),
    roundTrip: (ms) => trips.push(ms),
    log: () => {},
  });
  return { timers, sent, dead, trips, liveness };
}

describe('liveness', () => {
  it('drops a socket whose handshake does not complete within interval + tolerance', () => {
    const { timers, dead, liveness } = setup();
    liveness.attached();
    timers.advance(34_999);
    expect(dead).toEqual([]);
    timers.advance(1);
    expect(dead).toEqual(['handshake timeout']);
    expect(timers.active).toBe(0);
  });

  it('pings every interval once authenticated and measures the round trip from the pong', () => {
    const { timers, sent, trips, liveness } = setup();
    liveness.attached();
    liveness.authenticated();
    timers.advance(25_000);
    expect(sent).toEqual([{ type: 'ping', id: 'p1' }]);
    timers.advance(120);
    liveness.frame();
    liveness.pong('p1');
    expect(trips).toEqual([120]);
    timers.advance(24_880);
    expect(sent.map((f) => f.id)).toEqual(['p1', 'p2']);
  });

  it('ignores a pong that answers no ping of ours', () => {
    const { timers, trips, liveness } = setup();
    liveness.attached();
    liveness.authenticated();
    timers.advance(25_000);
    liveness.pong('p9');
    liveness.pong(undefined);
    expect(trips).toEqual([]);
  });

  it('declares the link dead only after silence and an unanswered ping', () => {
    const { timers, dead, liveness } = setup();
    liveness.attached();
    liveness.authenticated();
    timers.advance(25_000); // ping p1 leaves
    timers.advance(9_999);
    expect(dead).toEqual([]);
    timers.advance(1); // 35 s of silence and the ping unanswered for 10 s
    expect(dead).toEqual(['heartbeat timeout']);
    expect(timers.active).toBe(0);
  });

  it('any frame keeps a quiet link alive', () => {
    const { timers, dead, liveness } = setup();
    liveness.attached();
    liveness.authenticated();
    for (let i = 0; i < 10; i++) {
      timers.advance(20_000);
      liveness.frame();
    }
    expect(dead).toEqual([]);
  });

  it('a timer held back (background tab) pings on waking and decides a tolerance later', () => {
    const { timers, sent, dead, liveness } = setup();
    liveness.attached();
    liveness.authenticated();
    timers.advanceLate(90_000);
    expect(dead).toEqual([]);
    expect(sent).toHaveLength(1);
    liveness.frame(); // the pong arrives
    timers.advance(10_000);
    expect(dead).toEqual([]);
  });

  it('a link that goes quiet right after a frame sleeps until its deadline, then drops', () => {
    const { timers, dead, liveness } = setup();
    let wakes = 0;
    const setTimer = timers.setTimeout.bind(timers);
    timers.setTimeout = (callback, ms) => {
      if (++wakes > 100) throw new Error('the heartbeat keeps waking');
      return setTimer(callback, ms);
    };
    liveness.attached();
    liveness.authenticated();
    timers.advance(24_000);
    liveness.frame(); // the last frame, a second before the ping
    timers.advance(34_999); // ping at 25 s, unanswered; silence runs out at 59 s
    expect(dead).toEqual([]);
    timers.advance(1);
    expect(dead).toEqual(['heartbeat timeout']);
    expect(wakes).toBeLessThan(10);
  });

  it('a busy link that goes silent drops within a second of its deadline, never before it', () => {
    const { timers, dead, liveness } = setup();
    liveness.attached();
    liveness.authenticated();
    // Ten frames a second up to 24.9 s; the ping at 25 s is never answered.
    for (let t = 100; t <= 24_900; t += 100) {
      timers.advance(100);
      liveness.frame();
    }
    timers.advance(59_899 - 24_900); // the deadline: 35 s after the last frame, at 59.9 s
    expect(dead).toEqual([]);
    timers.advance(1_001);
    expect(dead).toEqual(['heartbeat timeout']);
  });

  it('a burst of frames answers the ping that went out before it', () => {
    const { timers, dead, sent, liveness } = setup();
    liveness.attached();
    liveness.authenticated();
    timers.advance(25_000); // ping p1 leaves
    for (let i = 0; i < 50; i++) liveness.frame();
    timers.advance(24_999);
    expect(dead).toEqual([]);
    timers.advance(1); // answered, so the next ping goes out on time
    expect(sent.map((f) => f.id)).toEqual(['p1', 'p2']);
    timers.advance(9_999); // p2 unanswered; the burst came at 25 s, so the deadline is 60 s
    expect(dead).toEqual([]);
    timers.advance(1_001);
    expect(dead).toEqual(['heartbeat timeout']);
  });

  it('the handshake deadline counts from the last of several frames, to within a second', () => {
    const { timers, dead, liveness } = setup();
    liveness.attached();
    for (let i = 0; i < 20; i++) {
      timers.advance(1_000);
      liveness.frame();
      liveness.frame();
    }
    timers.advance(34_999); // the last frames came at 20 s
    expect(dead).toEqual([]);
    timers.advance(1_001);
    expect(dead).toEqual(['handshake timeout']);
  });

  it('a stream of frames wakes the timer about once a second, not once per frame', () => {
    const { timers, liveness } = setup();
    let wakes = 0;
    const setTimer = timers.setTimeout.bind(timers);
    timers.setTimeout = (callback, ms) => {
      wakes += 1;
      return setTimer(callback, ms);
    };
    liveness.attached();
    liveness.authenticated();
    for (let i = 0; i < 10_000; i++) {
      timers.advance(1);
      liveness.frame();
    }
    expect(wakes).toBeLessThanOrEqual(25);
  });

  it('stop() leaves no timer behind', () => {
    const { timers, liveness } = setup();
    liveness.attached();
    liveness.authenticated();
    liveness.stop();
    expect(timers.active).toBe(0);
  });
});
