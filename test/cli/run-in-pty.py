#!/usr/bin/env python3
# Runs a command in a pseudo-terminal COLS columns wide, as if in a user's
# terminal: what arrives on stdin is typed into it, what it writes comes out
# on stdout, and the exit status is the command's. Used by test/cli to drive
# `zos run` interactively without a native Node module.
#
#   python3 test/cli/run-in-pty.py COLS command [args...]

import fcntl
import os
import pty
import select
import struct
import sys
import termios

cols = int(sys.argv[1])
pid, master = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    os.execvp(sys.argv[2], sys.argv[2:])

inputs = [sys.stdin.fileno(), master]
while True:
    readable, _, _ = select.select(inputs, [], [])
    if master in readable:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the command closed the terminal
            data = b""
        if not data:
            break
        os.write(sys.stdout.fileno(), data)
    if sys.stdin.fileno() in readable:
        data = os.read(sys.stdin.fileno(), 65536)
        if data:
            os.write(master, data)
        else:
            inputs.remove(sys.stdin.fileno())
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
