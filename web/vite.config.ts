import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

/*
 * The dashboard's build. Rapport runs it in memory at server start (src/modules/dashboard), so
 * `npm start` needs no build step; `npx vite web` serves it with hot reload against a Rapport on
 * port 3000 (the proxy below).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  publicDir: false,
  appType: 'spa',
  // No .env files: the dashboard reads nothing from the build environment.
  envDir: false,
  // Preact through Vite's own JSX transform: no plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2022',
    // One small bundle: no preload helper, no inline polyfill (the CSP allows no inline script).
    modulePreload: { polyfill: false },
    // Fonts or images under this size would become data: URLs; keep every asset a file.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
})
