// What the shell knows about one of its commands: how to run it, and what
// `help` says about it.

import { CommandLine } from "./command-line";

/** The topics `help` groups the commands by, in the order it lists them. */
export const TOPICS: string[] = ["processes", "capabilities", "messages", "logs", "shell"];

export class Command {
  constructor(
    public name: string,
    /** The arguments, e.g. "<slot> <perms>"; "" for none. */
    public args: string,
    /** One of TOPICS. */
    public topic: string,
    /** One line for the list `help` prints. */
    public summary: string,
    /** What it does, in the terms of the capability model: a few sentences `help <command>` prints. */
    public details: string,
    /** The right (or other authority) it needs. */
    public needs: string,
    /** A line to type. */
    public example: string,
    /** Runs the command; false when the arguments are wrong, which makes the shell print the usage. */
    public run: (line: CommandLine) => bool,
  ) {}

  /** "derive <slot> <perms>". */
  synopsis(): string {
    return this.args.length > 0 ? this.name + " " + this.args : this.name;
  }

  usage(): string {
    return this.name + ": usage: " + this.synopsis() + " (help " + this.name + " explains it)";
  }
}
