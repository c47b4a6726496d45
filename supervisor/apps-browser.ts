// The built-in apps for the browser: Vite serves apps/build/*.wasm (built by
// `npm install`), and they are fetched once before boot.

import { appTable, BUILTIN_APPS, type AppTable } from './apps.ts';

const URLS = import.meta.glob('../apps/build/*.wasm', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

export async function loadBuiltinApps(): Promise<AppTable> {
  const entries = await Promise.all(BUILTIN_APPS.map(async (name): Promise<[string, Uint8Array]> => {
    const url = URLS[`../apps/build/${name}.wasm`];
    if (!url) throw new Error(`app "${name}" is not built: run \`npm run build:apps\` and reload`);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`app "${name}": ${response.status} ${response.statusText} for ${url}`);
    return [name, new Uint8Array(await response.arrayBuffer())];
  }));
  return appTable(entries);
}
