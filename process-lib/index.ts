// process-lib: everything a zos process needs, in AssemblyScript.
//
// The ABI constants come from the kernel's own file (never copied); the raw
// syscall wrappers, the binary layouts and the names are generated from the
// kernel's ABI table (generated/, scripts/gen-abi.ts); the rest wraps them
// with typed results. Result convention: see result.ts. Keep an app's
// top-level code free of syscalls: it runs at instantiation, before the
// runtime calls `_start`.

export * from "../kernel/abi";
export * from "./generated/env";
export * from "./generated/syscalls";
export * from "./generated/layouts";
export * from "./generated/names";
export * from "./result";
export * from "./data";
export * from "./bytes";
export * from "./console";
export * from "./process";
export * from "./caps";
export * from "./ipc";
export * from "./services";
export * from "./names";
export * from "./zos";
