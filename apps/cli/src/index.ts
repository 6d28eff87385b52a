export type { Env, InputStream, OutputStream, RunIO } from './io.js';
export { EXIT_ERROR, EXIT_OK, EXIT_USAGE, run } from './run.js';
