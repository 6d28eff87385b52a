/** A thin typed wrapper over autocannon (it ships no types). */
export interface LoadResult {
  requests: { average: number; total: number };
  latency: { p99: number; average: number };
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  method?: string;
  body?: string;
  seconds: number;
  connections?: number;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const moduleName = 'autocannon';
  const { default: autocannon } = (await import(moduleName)) as {
    default: (opts: Record<string, unknown>) => Promise<LoadResult>;
  };
  return autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    ...(options.body !== undefined ? { body: options.body } : {}),
    duration: options.seconds,
    connections: options.connections ?? 50,
  });
}
