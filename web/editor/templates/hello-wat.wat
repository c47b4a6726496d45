;; hello-wat: hello in WebAssembly text, on the plain ABI (docs/abi.md):
;; only the env imports, no process-lib. Binaries built this way for
;; Zero OS v0.1.1 run on zos unchanged.
(module
  (import "env" "zos_syscall" (func $syscall (param i32 i32 i32 i32) (result i32)))
  (import "env" "zos_send_bytes" (func $send_bytes (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "Hello from WAT!\n")

  (func (export "_start")
    ;; CONSOLE_WRITE (0x07): the request data is the text, a0 its length.
    (call $send_bytes (i32.const 16) (i32.const 16))
    (drop (call $syscall (i32.const 0x07) (i32.const 16) (i32.const 0) (i32.const 0)))
    ;; EXIT (0x11) with code 0: never returns.
    (drop (call $syscall (i32.const 0x11) (i32.const 0) (i32.const 0) (i32.const 0)))))
