import { readFileSync } from 'node:fs';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The folder that holds credentials is private to the user. */
export const DIR_MODE = 0o700;
/** Credentials and secrets: readable and writable by the owner only. */
export const SECRET_FILE_MODE = 0o600;

/**
 * Creates the folder with mode 0700, and tightens it if it already exists with looser bits: a
 * credentials file is only as private as the folder it sits in (umask may have loosened mkdir).
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  if (process.platform === 'win32') return;
  const s = await stat(dir);
  if ((s.mode & 0o777) !== DIR_MODE) await chmod(dir, DIR_MODE);
}

/**
 * Writes a file atomically: the content goes to a temporary file in the same folder (same
 * filesystem, so rename is atomic), which is created with its final mode, flushed, then renamed
 * over the target. A reader therefore sees the old file or the new one, never half of one, and a
 * crash mid-write leaves the old credentials intact. The mode is set at creation, so the secret is
 * never readable by others, not even for a moment.
 */
export async function writeFileAtomic(path: string, content: string, mode = SECRET_FILE_MODE): Promise<void> {
  const dir = dirname(path);
  await ensurePrivateDir(dir);
  // The Web Crypto global rather than node:crypto: it loads only when a file is written, so commands
  // that only read their configuration (most of them, and every tab completion) never pay for it.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${crypto.randomUUID()}.tmp`);
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    // open()'s mode is filtered by the umask; make it exact.
    if (process.platform !== 'win32') await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Reads a JSON file, or returns undefined when it does not exist. A corrupt file is an error that says where.
 *
 * Read synchronously: these are small local files read while a command starts, when nothing else
 * could run meanwhile. A synchronous read takes microseconds; the promise API hands open, stat,
 * read and close to the thread pool one after another (starting its threads on first use), which
 * costs a few milliseconds of every command.
 */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${path} is not valid JSON; fix or delete it`);
  }
}
