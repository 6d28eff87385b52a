/**
 * The tools a new user would install next to the Callwire packages in their own project, pinned so a
 * release:check run is reproducible. They are installed into the scratch project, never into the
 * workspace: the point is to build the way users build.
 */
export const SCRATCH_TOOLS = {
  typescript: '5.9.3',
  '@types/node': '24.19.2',
  esbuild: '0.28.2',
  rolldown: '1.3.4',
  webpack: '5.113.0',
} as const;
