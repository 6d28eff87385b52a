import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Lets Node run the TypeScript sources directly (type stripping): relative `./x.js` imports are
 * written for the bundler and point at `./x.ts` files, which Node does not resolve by itself.
 * Import this module first, then load everything else with a dynamic import.
 */
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (
      (specifier.startsWith('.') || specifier.startsWith('/')) &&
      specifier.endsWith('.js') &&
      context.parentURL
    ) {
      const url = new URL(specifier, context.parentURL);
      if (url.protocol === 'file:' && !existsSync(fileURLToPath(url))) {
        const ts = new URL(`${url.href.slice(0, -3)}.ts`);
        if (existsSync(fileURLToPath(ts))) return nextResolve(ts.href, context);
      }
    }
    return nextResolve(specifier, context);
  },
});
