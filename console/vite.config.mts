import { defineConfig } from 'vite';

// Served under /console/ by the local stack and by `afterchat console`, beside the admin API.
export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 300 },
});
