import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          // Electron shell
          index: resolve(__dirname, 'src-main/shells/electron/main.ts'),
          // Browser shell: the same services in plain Node
          'browser-shell': resolve(__dirname, 'src-main/browser-shell.ts'),
          // `npm run sandbox`
          'sandbox-cli': resolve(__dirname, 'src-main/sandbox-cli.ts'),
          // `npm run team-db`: roles, database and schema of a team database
          'team-db-cli': resolve(__dirname, 'src-main/team/teamDbCli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Each entry is standalone: a sandboxed preload cannot require chunks, and the browser
      // bridge is served to the page as one classic script.
      isolatedEntries: true,
      externalizeDeps: false,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/shells/electron/preload.ts'),
          bridge: resolve(__dirname, 'src-main/shells/browser/bridge.ts'),
        },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    base: './',
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
    plugins: [react()],
  },
});
