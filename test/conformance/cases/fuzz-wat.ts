// WAT shared by the fuzzing processes: random syscall numbers and arguments
// (the prelude's xorshift PRNG), request data, and the result-shape check of ABI §2.

import { A, M } from './common.ts';

/** WAT for the PRNG fuzzers: random syscall numbers and arguments, request data, and the shape check. */
export const FUZZ_HELPERS = `
  (func $pick_num (result i32)
    (local $k i32)
    (local.set $k (call $randn (i32.const 32)))
    (if (i32.lt_u (local.get $k) (i32.const 7)) (then (return (i32.add (i32.const 1) (local.get $k)))))
    (if (i32.lt_u (local.get $k) (i32.const 13)) (then (return (i32.add (i32.const 0x30) (i32.sub (local.get $k) (i32.const 7))))))
    (if (i32.lt_u (local.get $k) (i32.const 18)) (then (return (i32.add (i32.const 0x40) (i32.sub (local.get $k) (i32.const 13))))))
    (if (i32.lt_u (local.get $k) (i32.const 22)) (then (return (i32.add (i32.const 0x10) (i32.sub (local.get $k) (i32.const 18))))))
    (if (i32.lt_u (local.get $k) (i32.const 25)) (then (return (i32.add (i32.const 0x70) (call $randn (i32.const 4))))))
    (if (i32.lt_u (local.get $k) (i32.const 28)) (then (return (i32.add (i32.const 0x30) (call $randn (i32.const 6))))))
    (if (i32.lt_u (local.get $k) (i32.const 31)) (then (return (i32.add (i32.const 0x40) (call $randn (i32.const 5))))))
    (call $rand))
  (func $arg (result i32)
    (local $k i32)
    (local.set $k (call $randn (i32.const 8)))
    (if (i32.eqz (local.get $k)) (then (return (call $randn (i32.const 8)))))
    (if (i32.eq (local.get $k) (i32.const 1)) (then (return (call $randn (i32.const 40)))))
    (if (i32.eq (local.get $k) (i32.const 2)) (then (return (call $rand))))
    (if (i32.eq (local.get $k) (i32.const 3)) (then (return (i32.sub (i32.const 0) (call $randn (i32.const 8))))))
    (if (i32.eq (local.get $k) (i32.const 4)) (then (return (call $randn (i32.const 12)))))
    (if (i32.eq (local.get $k) (i32.const 5)) (then (return (i32.add (i32.const 0x1000) (call $randn (i32.const 0x30))))))
    (if (i32.eq (local.get $k) (i32.const 6)) (then (return (i32.add (i32.const 4085) (call $randn (i32.const 6))))))
    (select (i32.const 0x7fffffff) (i32.add (i32.const 65530) (call $randn (i32.const 10))) (i32.and (call $rand) (i32.const 1))))
  ;; Request data for the next syscall: random bytes, and for SEND_CAP a slot list that never names slot 2.
  (func $fill (param $num i32)
    (local $n i32) (local $i i32) (local $s i32)
    (if (i32.eq (local.get $num) (i32.const ${A.SYS_SEND_CAP}))
      (then
        (local.set $n (call $randn (i32.const 5)))
        (block $end (loop $l
          (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $s (call $randn (i32.const 12)))
          (if (i32.eq (local.get $s) (i32.const 2)) (then (local.set $s (i32.const 3))))
          (i32.store (i32.add (i32.const ${M.BIG}) (i32.shl (local.get $i) (i32.const 2))) (local.get $s))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
        (call $send_bytes (i32.const ${M.BIG}) (i32.shl (local.get $n) (i32.const 2)))
        (return)))
    (if (i32.and (call $rand) (i32.const 1))
      (then
        (i32.store (i32.const ${M.BIG + 0x8000}) (call $rand))
        (call $send_bytes (i32.add (i32.const ${M.BIG + 0x8000}) (call $randn (i32.const 64))) (call $randn (i32.const 5000))))))
  ;; 1 when r has the shape ABI §2/§3 fixes for syscall num.
  (func $shape_ok (param $num i32) (param $a0 i32) (param $r i32) (result i32)
    (if (i32.or (i32.or (i32.eq (local.get $num) (i32.const ${A.SYS_CAP_GRANT})) (i32.eq (local.get $num) (i32.const ${A.SYS_CAP_DERIVE})))
                (i32.eq (local.get $num) (i32.const ${A.SYS_ZOS_LEASE})))
      (then (return (i32.or (i32.ge_s (local.get $r) (i32.const 0))
        (i32.and (i32.ge_u (i32.and (local.get $r) (i32.const 0x7fffffff)) (i32.const 1)) (i32.le_u (i32.and (local.get $r) (i32.const 0x7fffffff)) (i32.const 10)))))))
    (if (i32.eq (local.get $num) (i32.const ${A.SYS_EP_CREATE}))
      (then (if (i32.eqz (local.get $a0)) (then (return (i32.or (i32.ge_s (local.get $r) (i32.const 0))
        (i32.and (i32.ge_u (i32.and (local.get $r) (i32.const 0x7fffffff)) (i32.const 1)) (i32.le_u (i32.and (local.get $r) (i32.const 0x7fffffff)) (i32.const 10)))))))
        (return (i32.const 1))))
    (if (i32.or (i32.eq (local.get $num) (i32.const ${A.SYS_RECEIVE})) (i32.or (i32.eq (local.get $num) (i32.const ${A.SYS_CALL})) (i32.eq (local.get $num) (i32.const ${A.SYS_ZOS_AXIOM}))))
      (then (return (i32.and (i32.ge_s (local.get $r) (i32.const -10))
        (i32.or (i32.le_s (local.get $r) (i32.const 0)) (i32.or (i32.ge_s (local.get $r) (i32.const 8)) (i32.eq (local.get $num) (i32.const ${A.SYS_ZOS_AXIOM}))))))))
    ;; ZOS_LEASE_LEFT: 0 (never expires), 12 (a LeaseInfo), or -code
    (if (i32.eq (local.get $num) (i32.const ${A.SYS_ZOS_LEASE_LEFT}))
      (then (return (i32.or (i32.or (i32.eqz (local.get $r)) (i32.eq (local.get $r) (i32.const 12)))
        (i32.and (i32.ge_s (local.get $r) (i32.const -10)) (i32.lt_s (local.get $r) (i32.const 0)))))))
    (if (i32.eq (local.get $num) (i32.const ${A.SYS_CAP_INSPECT})) (then (return (i32.le_u (local.get $r) (i32.const 1)))))
    (if (i32.or (i32.eq (local.get $num) (i32.const ${A.SYS_GET_TIME})) (i32.or (i32.eq (local.get $num) (i32.const ${A.SYS_GET_PID})) (i32.eq (local.get $num) (i32.const ${A.SYS_GET_WALLCLOCK}))))
      (then (return (i32.const 1))))
    ;; status: 0..10, and E_NOSYS for numbers the ABI does not list
    (i32.le_u (local.get $r) (i32.const 10)))
`;

