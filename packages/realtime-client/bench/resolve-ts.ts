import { registerHooks } from 'node:module';

// The sources import siblings as `./x.js` (what the bundler and tsc expect); Node's type stripping
// runs the `.ts` files but does not map those specifiers, so the bench maps a missing `.js` to `.ts`.
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw error;
    }
  },
});
