import type { RunningServer } from '@callwire/demo-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBulk } from '../bulk-sms.ts';
import { ALICE, startDemoServer } from './demo-server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(() => server.close());

describe('bulk-sms example', () => {
  it('sends to every valid recipient, reports the refused one, and counts progress up to the total', async () => {
    const recipients = Array.from({ length: 12 }, (_, i) => `+1201555${String(1000 + i)}`);
    recipients.splice(5, 0, 'not-a-number');
    const progress: number[] = [];
    const result = await sendBulk({
      baseUrl: server.url,
      ...ALICE,
      recipients,
      message: 'bulk test',
      concurrency: 3,
      onProgress: (done, total) => {
        expect(total).toBe(13);
        progress.push(done);
      },
    });
    expect(result.sent).toHaveLength(12);
    expect(new Set(result.sent.map((s) => s.uuid)).size).toBe(12);
    expect(result.failed).toEqual([{ to: 'not-a-number', reason: expect.stringMatching(/\S/) }]);
    expect(progress).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
  });
});
