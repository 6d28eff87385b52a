import { randomBytes } from 'node:crypto';
import { readJsonFile, writeFileAtomic } from './atomic-write.js';

/**
 * The signing secret `events forward` signs local deliveries with. Like `stripe listen`, it is made
 * once per profile and kept in the config folder (0600), so the receiver's configured secret stays
 * valid across restarts.
 */
export async function loadOrCreateForwardSecret(path: string, profile: string): Promise<string> {
  const raw = await readJsonFile(path);
  const secrets: Record<string, string> = {};
  if (typeof raw === 'object' && raw !== null) {
    for (const [name, value] of Object.entries(raw)) if (typeof value === 'string') secrets[name] = value;
  }
  const existing = secrets[profile];
  if (existing !== undefined && existing.length > 0) return existing;
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  secrets[profile] = secret;
  await writeFileAtomic(path, `${JSON.stringify(secrets, null, 2)}\n`);
  return secret;
}
