import { readJsonFile, writeFileAtomic } from './atomic-write.js';

/**
 * Small non-secret state: the last event seq seen by `events tail`/`events forward` per profile and
 * account, so a restart resumes where it stopped instead of missing or repeating events.
 */
export class StateFile {
  constructor(readonly path: string) {}

  private async read(): Promise<{ cursors: Record<string, number> }> {
    const raw = await readJsonFile(this.path);
    const cursors: Record<string, number> = {};
    if (typeof raw === 'object' && raw !== null && 'cursors' in raw) {
      const value = (raw as { cursors: unknown }).cursors;
      if (typeof value === 'object' && value !== null) {
        for (const [key, seq] of Object.entries(value)) {
          if (typeof seq === 'number' && Number.isInteger(seq) && seq >= 0) cursors[key] = seq;
        }
      }
    }
    return { cursors };
  }

  async getCursor(key: string): Promise<number | undefined> {
    return (await this.read()).cursors[key];
  }

  async setCursor(key: string, seq: number): Promise<void> {
    const state = await this.read();
    if ((state.cursors[key] ?? -1) >= seq) return;
    state.cursors[key] = seq;
    await writeFileAtomic(this.path, `${JSON.stringify(state, null, 2)}\n`);
  }
}
