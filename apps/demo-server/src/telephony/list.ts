import type { ListPayload } from '@callwire/types';

export interface Page {
  take: number;
  skip: number;
}

export function listOf<T>(page: Page, total: number, data: T[]): ListPayload<T> {
  return { take: page.take, skip: page.skip, total, data };
}

/** Numbers come back from PostgreSQL counts as strings; SQLite gives numbers. */
export function count(row: { n: unknown } | undefined): number {
  return row === undefined ? 0 : Number(row.n);
}
