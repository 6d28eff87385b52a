import { describe, expect, it } from 'vitest';
import { createPgPool, defaultBackgroundPoolSize, defaultPoolSize } from './pg-pool.js';

const url = process.env.TEST_DATABASE_URL || undefined;

describe('the PostgreSQL pool', () => {
  it('has two connections per core, at least 4 and at most 20', () => {
    expect([1, 2, 4, 8, 64].map((cores) => defaultPoolSize(cores))).toEqual([4, 4, 8, 16, 20]);
  });

  it('has one background connection per core, at least 2 and at most 8', () => {
    expect([1, 2, 4, 8, 64].map((cores) => defaultBackgroundPoolSize(cores))).toEqual([2, 2, 4, 8, 8]);
  });

  it.runIf(url !== undefined)(
    'prepares a statement with parameters once per connection and reuses it',
    async () => {
      const pool = createPgPool({ url: url as string, size: 1 });
      try {
        const text = 'select $1::int + 1 as n';
        const first = await pool.query<{ n: number }>(text, [1]);
        const second = await pool.query<{ n: number }>(text, [41]);
        expect([first.rows[0]?.n, second.rows[0]?.n]).toEqual([2, 42]);
        // The one connection holds that statement prepared, once.
        const held = await pool.query<{ n: number }>(
          'select count(*)::int as n from pg_prepared_statements where statement = $1',
          [text],
        );
        expect(held.rows[0]?.n).toBe(1);
        // Statements without parameters go through as they are.
        await pool.query('select 1');
        const plain = await pool.query<{ n: number }>(
          "select count(*)::int as n from pg_prepared_statements where statement = 'select 1'",
          [],
        );
        expect(plain.rows[0]?.n).toBe(0);
      } finally {
        await pool.end();
      }
    },
  );
});
