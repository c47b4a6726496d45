// Types for scripts/browser.mjs, so TypeScript callers (playwright.config.ts,
// bench/, test/) can import it under `tsc --noEmit`.
export declare const LAUNCH_ARGS: string[];
export declare const SYSTEM_CHROMIUM_PATHS: string[];
export declare function isExecutable(path: string | null | undefined): boolean;
export declare function playwrightChromiumPath(): string | null;
export declare function chromiumCandidates(): { source: string; path: string | null; ok: boolean }[];
export declare function findChromium(): string | null;
