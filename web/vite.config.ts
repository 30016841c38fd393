// Build of the NEMIS portal. The dev server proxies the API to a running `nemis serve`
// (NEMIS_API, default http://127.0.0.1:18090); the production build is served by
// `nemis serve` itself from web/dist.
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import AutoImport from 'unplugin-auto-import/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

const api = process.env.NEMIS_API ?? 'http://127.0.0.1:18090'

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus on demand: only the components a chunk uses, with their CSS.
    AutoImport({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: 'src/auto-imports.d.ts',
    }),
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: 'src/components.d.ts',
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_JIT_COMPILATION__: 'true',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Small assets are still files: inlined data: URLs would need a looser CSP.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 700,
    reportCompressedSize: true,
    rollupOptions: {
      output: {
        // Element Plus shared chunks are named after their `style/css` entry: call them `ep-`.
        chunkFileNames: (chunk) => `assets/${chunk.name === 'css' ? 'ep' : '[name]'}-[hash].js`,
        assetFileNames: (asset) => `assets/${(asset.names[0] ?? '').startsWith('css.') ? 'ep' : '[name]'}-[hash][extname]`,
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/oidc': { target: api, changeOrigin: false },
      '/healthz': { target: api },
      '/readyz': { target: api },
    },
  },
})
