import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Browser tests: the real server + Debian's Chromium. `npx vitest run --config web/e2e/vitest.config.ts` */
export default defineConfig({
  // keep vitest's cache with the project's other caches, not in web/e2e
  cacheDir: fileURLToPath(new URL('../../node_modules/.vite/web-e2e', import.meta.url)),
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
