// Types for scripts/serve-static.mjs, for TypeScript callers (test/, bench/).
export declare function serveStatic(options: { dir: string; base?: string; port?: number; host?: string; headers?: Record<string, string> }): Promise<{
  url: string;
  setDir(dir: string): void;
  close(): Promise<void>;
}>;
