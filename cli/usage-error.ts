// A mistake in the command line: cli/main.ts prints it as one line on stderr,
// with where to find the usage, and exits 2. Never a stack trace.

export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command whose --help the message points to; null for `zos --help`. A message of several lines (parseArgs's) becomes one. */
  constructor(message: string, readonly command: 'run' | 'verify' | null = null) {
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}
