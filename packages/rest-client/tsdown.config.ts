import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts', 'src/validation.ts'],
  format: 'esm',
  platform: 'neutral',
  target: 'es2023',
  dts: true,
  sourcemap: true,
});
