// Types for scripts/asc-flags.mjs, for its TypeScript callers (web/editor/).
export declare const ASC_FLAGS: readonly string[];
