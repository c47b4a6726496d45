// The kernel's public surface. Nothing in kernel/ imports from outside it.
export * as abi from './abi.ts';
export { Kernel, HANDLERS, checkSyscallTable } from './gateway.ts';
export type { KernelEvent, KernelOptions, SyscallOutcome, SpawnAnswer } from './core.ts';
export type { KernelView, ProcessInfo, CapInfo, EndpointInfo } from './view.ts';
export { processesOf, processOf, capsOf, endpointsOf } from './view.ts';
export { SysLog, CommitLog, verifyChain, type SysLogEntry, type IntegrityReport } from './axiom.ts';
export { COMMIT_FIELDS, canonicalCommit, type Commit, type CommitType } from './commits.ts';
export { replay, stateHashOf, type ReplayResult } from './replay.ts';
export { KernelState } from './state.ts';
export * from './names.ts';
