import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * argon2id password hashes in the PHC string format (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`),
 * computed off the main thread by node:crypto's async argon2. Parameters are read back from each
 * hash, so hashes made with other parameters keep verifying.
 */
export interface Argon2Params {
  memoryKiB: number;
  passes: number;
  parallelism: number;
}

const TAG_LENGTH = 32;

function derive(password: string, salt: Buffer, params: Argon2Params): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2(
      'argon2id',
      {
        message: Buffer.from(password, 'utf8'),
        nonce: salt,
        parallelism: params.parallelism,
        tagLength: TAG_LENGTH,
        memory: params.memoryKiB,
        passes: params.passes,
      },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

const b64 = (buf: Buffer) => buf.toString('base64').replace(/=+$/, '');

export async function hashPassword(password: string, params: Argon2Params): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return `$argon2id$v=19$m=${params.memoryKiB},t=${params.passes},p=${params.parallelism}$${b64(salt)}$${b64(key)}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** True when `password` matches `encoded`; false for a mismatch or an unreadable hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const m = PHC.exec(encoded);
  if (m === null) return false;
  const params = { memoryKiB: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]) };
  const salt = Buffer.from(m[4] as string, 'base64');
  const expected = Buffer.from(m[5] as string, 'base64');
  const actual = await derive(password, salt, params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Counts argon2 verifications (the benchmark checks that a cold burst runs exactly one). */
export class PasswordHasher {
  verifications = 0;
  readonly params: Argon2Params;
  #dummy: Promise<string> | undefined;

  constructor(params: Argon2Params) {
    this.params = params;
  }

  hash(password: string): Promise<string> {
    return hashPassword(password, this.params);
  }

  verify(password: string, encoded: string): Promise<boolean> {
    this.verifications++;
    return verifyPassword(password, encoded);
  }

  /**
   * Runs a verification against a throwaway hash with the current parameters, so that an unknown
   * user costs the same time as a wrong password (no user enumeration by timing).
   */
  async dummyVerify(password: string): Promise<false> {
    this.#dummy ??= hashPassword(randomBytes(16).toString('hex'), this.params);
    await this.verify(password, await this.#dummy);
    return false;
  }
}
