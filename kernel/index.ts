// The kernel's public surface. Nothing in kernel/ imports from outside it.
export * as abi from './abi.ts';
export { Kernel, encodeError } from './kernel.ts';
export type { KernelEvent, KernelOptions, SyscallOutcome, SpawnAnswer, ProcessInfo, CapInfo, EndpointInfo } from './kernel.ts';
export { SysLog, CommitLog, verifyChain, type SysLogEntry, type IntegrityReport } from './axiom.ts';
export { COMMIT_FIELDS, canonicalCommit, type Commit, type CommitType } from './commits.ts';
export { replay, stateHashOf, type ReplayResult } from './replay.ts';
export { KernelState } from './state.ts';
export * from './names.ts';
