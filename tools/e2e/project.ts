/**
 * A throwaway copy of the Pulumi project for the real-engine tiers: the program, one stack file and a
 * symlink to node_modules in a temporary directory, with its own file backend (.pulumi-state in that
 * directory), so the committed stack files and the repository's state are never touched.
 * Every pulumi call goes through scripts/pulumi-local.sh, as `npm run preview|up|destroy` does.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";

export const REPO_ROOT = resolve(__dirname, "..", "..");
const PROJECT_ENTRIES = ["Pulumi.yaml", "package.json", "tsconfig.json", "infra", "components"];

export interface PulumiResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export interface TempProject {
  readonly dir: string;
  readonly stack: string;
  /** Sets `opentwin:<path>` in the stack file directly (public values only). */
  setPlain(path: (string | number)[], value: unknown): void;
  /** `pulumi config set --secret --path opentwin:<path>` with the value on stdin (never on a command line). */
  setSecret(path: string, value: string): void;
  /** Runs `scripts/pulumi-local.sh <command> <stack> ...args`. */
  pulumi(command: string, args?: string[], options?: { timeoutSeconds?: number }): PulumiResult;
  stackFileText(): string;
  remove(): void;
}

export function makeProject(stack: string, passphrase: string): TempProject {
  const dir = mkdtempSync(join(tmpdir(), `opentwin-${stack}-`));
  for (const entry of PROJECT_ENTRIES) cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
  cpSync(join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`), join(dir, "stacks", `Pulumi.${stack}.yaml`));
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  const stackFile = join(dir, "stacks", `Pulumi.${stack}.yaml`);
  const env = {
    ...process.env,
    OPENTWIN_PULUMI_PROJECT_DIR: dir,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_CONFIG_PASSPHRASE_FILE: "",
  };

  const run = (command: string, args: string[], input: string | undefined, timeoutSeconds: number): PulumiResult => {
    const started = Date.now();
    const result = spawnSync("bash", [join(REPO_ROOT, "scripts", "pulumi-local.sh"), command, stack, ...args], {
      cwd: dir,
      env,
      input,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      timeout: timeoutSeconds * 1000,
    });
    return { code: result.status ?? -1, stdout: result.stdout ?? "", stderr: `${result.stderr ?? ""}${result.error ? `\n${String(result.error)}` : ""}`, seconds: (Date.now() - started) / 1000 };
  };

  return {
    dir,
    stack,
    setPlain(path, value) {
      const document = parse(readFileSync(stackFile, "utf8")) as { config: Record<string, unknown> };
      const [top, ...rest] = path;
      const key = `opentwin:${String(top)}`;
      if (rest.length === 0) document.config[key] = value;
      else {
        let node = (document.config[key] ??= {}) as Record<string | number, unknown>;
        for (const part of rest.slice(0, -1)) node = (node[part] ??= {}) as Record<string | number, unknown>;
        node[rest.at(-1)!] = value;
      }
      writeFileSync(stackFile, stringify(document, { lineWidth: 0 }));
    },
    setSecret(path, value) {
      const result = run("config", ["set", "--secret", "--path", `opentwin:${path}`], value, 120);
      if (result.code !== 0) throw new Error(`pulumi config set --secret ${path} failed (${result.code}): ${result.stderr}`);
    },
    pulumi: (command, args = [], options = {}) => run(command, args, undefined, options.timeoutSeconds ?? 900),
    stackFileText: () => readFileSync(stackFile, "utf8"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
