/**
 * npm run render -- <stack> [--out DIR]
 * Runs the program for a stack under a mock monitor (no Pulumi CLI, backend, network or secrets)
 * and writes what it would build to DIR (default out/<stack>). Bad configuration writes nothing.
 */
import { join, resolve } from "node:path";
import { ConfigError } from "../../infra/config/load";
import { parseArguments, UsageError, type Arguments } from "./args";
import { outputDirProblem, writeAtomically } from "./output";
import { renderStack } from "./render";

const REPO_ROOT = resolve(__dirname, "..", "..");

async function main(): Promise<number> {
  let args: Arguments;
  try {
    // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
    args = parseArguments(process.argv.slice(2), { repoRoot: REPO_ROOT, cwd: process.env.INIT_CWD ?? process.cwd() });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`render: ${error.message}\nusage: npm run render -- <stack> [--out DIR]\n`);
    return 2;
  }
  const unsafe = outputDirProblem(args.out, [REPO_ROOT, process.cwd(), process.env.INIT_CWD ?? process.cwd(), join(REPO_ROOT, "out")]);
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
