/** The render command's arguments: `<stack> [--out DIR]`. Pure. */
import { join, resolve } from "node:path";
import { STACK_NAME } from "./stackFile";

export interface Arguments {
  readonly stack: string;
  /** Absolute output directory. */
  readonly out: string;
}

export class UsageError extends Error {}

/** `cwd` resolves a relative --out; the default output is out/<stack> in the repository. */
export function parseArguments(argv: readonly string[], where: { readonly repoRoot: string; readonly cwd: string }): Arguments {
  const positional: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--out" || arg.startsWith("--out=")) {
      out = arg === "--out" ? argv[++i] : arg.slice("--out=".length);
      if (out === undefined || out === "" || out.startsWith("-")) throw new UsageError("--out needs a directory");
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}; allowed: --out DIR`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError("give exactly one stack name");
  const stack = positional[0]!;
  if (!STACK_NAME.test(stack)) throw new UsageError(`"${stack}" is not a stack name (letters, digits, '.', '_', '-', not starting with '.')`);
  return { stack, out: out === undefined ? join(where.repoRoot, "out", stack) : resolve(where.cwd, out) };
}
