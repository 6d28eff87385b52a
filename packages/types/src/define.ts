/**
 * Builds a schema when the module loads. Declared free of side effects so that bundlers may drop
 * every schema an app never uses: without it esbuild keeps each top-level `z.object(…)` call (it
 * cannot know zod's constructors are pure), and with it the build of this package marks each call
 * `@__PURE__`, which esbuild and rolldown both honour.
 */
/* @__NO_SIDE_EFFECTS__ */
export function define<T>(build: () => T): T {
  return build();
}
