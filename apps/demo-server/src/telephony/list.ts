import type { ListPayload } from '@callwire/types';

/** Which slice of a list a request asks for (`take`/`skip`); stores page with it (`stores/paging.ts`). */
export interface Page {
  take: number;
  skip: number;
}

export function listOf<T>(page: Page, total: number, data: T[]): ListPayload<T> {
  return { take: page.take, skip: page.skip, total, data };
}
