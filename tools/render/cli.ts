/**
 * npm run render -- <stack> [--out DIR]
 * Runs the program for a stack under a mock monitor (no Pulumi CLI, backend, network or secrets)
 * and writes what it would build to DIR (default out/<stack>). Bad configuration writes nothing.
 */
import { join, resolve } from "node:path";
import { ConfigError } from "../../infra/config/load";
import { outputDirProblem, writeAtomically } from "./output";
import { renderStack } from "./render";

const REPO_ROOT = resolve(__dirname, "..", "..");

interface Arguments {
  readonly stack: string;
  readonly out: string;
}

function parseArguments(argv: readonly string[]): Arguments {
  const positional: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--out" || arg.startsWith("--out=")) {
      out = arg === "--out" ? argv[++i] : arg.slice("--out=".length);
      if (out === undefined || out === "" || out.startsWith("-")) throw new UsageError("--out needs a directory");
    }
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}; allowed: --out DIR`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError("give exactly one stack name");
  const stack = positional[0]!;
  return { stack, out: resolve(out ?? join(REPO_ROOT, "out", stack)) };
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let args: Arguments;
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`render: ${error.message}\nusage: npm run render -- <stack> [--out DIR]\n`);
    return 2;
  }
  const unsafe = outputDirProblem(args.out, [REPO_ROOT, process.cwd(), join(REPO_ROOT, "out")]);
  if (unsafe !== undefined) {
    process.stderr.write(`render: ${unsafe}\n`);
    return 2;
  }
  try {
    const { files, summary } = await renderStack(join(REPO_ROOT, "stacks"), args.stack);
    writeAtomically(args.out, files);
    process.stdout.write(`Rendered stack "${args.stack}" to ${args.out}\n`);
    process.stdout.write(`  ${summary.resources} resources, ${summary.kubernetesObjects} Kubernetes objects\n`);
    process.stdout.write(`  per level:\n${Object.entries(summary.perLevel).sort().map(([l, n]) => `    ${l}: ${n}`).join("\n")}\n`);
    process.stdout.write(`  scripts per machine:\n${Object.entries(summary.scriptsPerMachine).sort().map(([m, n]) => `    ${m}: ${n}`).join("\n")}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`render: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`render: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`render: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
