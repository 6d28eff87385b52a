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

  it('stop() leaves no timer behind', () => {
    const { timers, liveness } = setup();
    liveness.attached();
    liveness.authenticated();
    liveness.stop();
    expect(timers.active).toBe(0);
  });
});
