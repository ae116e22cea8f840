import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The explorer. Build: `npx vite build --config web/vite.config.ts` → web/dist, which the API
 * server serves at `/`. Dev: `npx vite --config web/vite.config.ts` proxies the API to a running
 * `accessgraph serve` (ACCESSGRAPH_DEV_API, default http://127.0.0.1:4600).
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.ACCESSGRAPH_DEV_API ?? 'http://127.0.0.1:4600';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
  },
  worker: { format: 'es' },
  server: {
    port: 5173,
    proxy: { '/graphql': api, '/auth': api },
  },
});
