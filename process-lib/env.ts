// The host functions of ABI §1: the only way a zos process reaches the kernel.
// Everything else in process-lib is built on these five imports.

// Makes syscall `num`; blocks until the kernel answers.
@external("env", "zos_syscall")
export declare function zos_syscall(num: i32, a0: i32, a1: i32, a2: i32): i32;

// Appends `len` bytes at `ptr` to the request data of the next syscall.
@external("env", "zos_send_bytes")
export declare function zos_send_bytes(ptr: i32, len: i32): void;

// Copies at most `max` bytes of the last syscall's response data to `ptr`; returns the count.
@external("env", "zos_recv_bytes")
export declare function zos_recv_bytes(ptr: i32, max: i32): i32;

// Gives up the CPU; the runtime may park the process until a message arrives.
@external("env", "zos_yield")
export declare function zos_yield(): void;

// Own PID, answered without a syscall.
@external("env", "zos_get_pid")
export declare function zos_get_pid(): i32;
