import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';

/** Minified bytes and gzip -9 bytes. */
export interface Size {
  min: number;
  gzip: number;
}

function measure(code: string | Uint8Array): Size {
  const bytes = typeof code === 'string' ? Buffer.from(code) : Buffer.from(code);
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** Every JavaScript file the console build loads, together. */
export function consoleJs(dist: string): Size {
  const assets = join(dist, 'assets');
  const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
  return measure(Buffer.concat(files.map((f) => readFileSync(join(assets, f)))));
}

/**
 * The baseline: only the three SDK entry points the console uses (session auth, the REST client,
 * the realtime client), bundled and minified the same way. What any browser app on the SDK pays
 * before it renders anything; the rest of the console's size is its own UI.
 */
export async function sdkOnlyJs(root: string): Promise<Size> {
  const entry = '\0sdk-entry';
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root,
    build: { write: false, target: 'es2023', minify: true, rolldownOptions: { input: entry } },
    plugins: [
      {
        name: 'sdk-entry',
        resolveId: (id) => (id === entry ? id : null),
        load: (id) =>
          id === entry
            ? [
                "import { createSessionAuth } from '@callwire/auth-core';",
                "import { createClient } from '@callwire/rest-client';",
                "import { createRealtimeClient } from '@callwire/realtime-client';",
                'window.sdk = { createSessionAuth, createClient, createRealtimeClient };',
              ].join('\n')
            : null,
      },
    ],
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunks = outputs.flatMap((o) => o.output).filter((o) => o.type === 'chunk');
  return measure(chunks.map((c) => c.code).join('\n'));
}
