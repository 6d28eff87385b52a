import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { Scheduler } from './scheduler.js';

describe('Scheduler on a manual clock', () => {
  it('fires steps in due order and lets each finish before time moves on', async () => {
    const clock = new ManualClock(0);
    const s = new Scheduler({ clock, onError: (e) => expect.fail(String(e)) });
    const seen: string[] = [];
    s.after(2000, async () => {
      await new Promise((r) => setImmediate(r));
      seen.push(`b@${clock.now()}`);
      s.after(1000, () => {
        seen.push(`c@${clock.now()}`);
      });
    });
    s.after(1000, () => {
      seen.push(`a@${clock.now()}`);
    });
    await s.advance(2500);
    expect(seen).toEqual(['a@1000', 'b@2000']);
    await s.advance(500);
    expect(seen).toEqual(['a@1000', 'b@2000', 'c@3000']);
    expect(clock.now()).toBe(3000);
  });

  it('divides simulated delays by the speed', async () => {
    const clock = new ManualClock(0);
    const s = new Scheduler({ clock, speed: 10, onError: () => undefined });
    let at = -1;
    s.after(30_000, () => {
      at = clock.now();
    });
    await clock.advance(2999);
    expect(at).toBe(-1);
    await clock.advance(1);
    expect(at).toBe(3000);
  });

  it('cancels timers and stops on close', async () => {
    const clock = new ManualClock(0);
    const s = new Scheduler({ clock, onError: () => undefined });
    let fired = 0;
    const h = s.after(10, () => {
      fired++;
    });
    s.cancel(h);
    s.after(20, () => {
      fired++;
    });
    await s.close();
    await clock.advance(100);
    expect(fired).toBe(0);
    expect(s.after(1, () => undefined)).toBeUndefined();
  });

  it('reports errors of a step without stopping the others', async () => {
    const clock = new ManualClock(0);
    const errors: unknown[] = [];
    const s = new Scheduler({ clock, onError: (e) => errors.push(e) });
    let ok = false;
    s.after(1, () => {
      throw new Error('boom');
    });
    s.after(2, () => {
      ok = true;
    });
    await s.runAll();
    expect(errors).toHaveLength(1);
    expect(ok).toBe(true);
  });
});

describe('ManualClock', () => {
  it('fires thousands of timers in due order, ties in creation order, skipping cleared ones', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const handles = [];
    for (let i = 0; i < 5000; i++) {
      const due = (i * 7919) % 1000;
      handles.push(clock.setTimer(() => fired.push(i), due));
    }
    for (let i = 0; i < 5000; i += 2) clock.clearTimer(handles[i]!);
    expect(clock.pending).toBe(2500);
    await clock.runAll(async () => undefined);
    expect(fired).toHaveLength(2500);
    const key = (i: number) => ((i * 7919) % 1000) * 10_000 + i;
    expect(fired).toEqual([...fired].sort((a, b) => key(a) - key(b)));
    expect(fired.every((i) => i % 2 === 1)).toBe(true);
    expect(clock.pending).toBe(0);
  });
});
