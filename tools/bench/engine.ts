/**
 * Section 3: wall time of a real `pulumi preview` (the CLI built by scripts/toolchain/engine.sh)
 * for the dev and production stacks, next to a one-resource program, in a throwaway backend.
 * The stacks get dummy secrets in a temporary copy; nothing is written to the repository.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync, mkdirSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { spread, timed, type Spread } from "./measure";

export type EngineResult =
  | { readonly available: false; readonly reason: string }
  | { readonly available: true; readonly version: string; readonly parallel: string; readonly rows: { label: string; resources: string; ms: Spread }[] };

const PLUGINS = [
  { name: "command", pkg: "@pulumi/command" },
  { name: "tls", pkg: "@pulumi/tls" },
  { name: "kubernetes", pkg: "@pulumi/kubernetes" },
] as const;

/** Secrets the Hyper-V stacks need for a real preview (dummy values; never real ones). */
function dummySecrets(hostCount: number): [string, string][] {
  const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nbenchmark-dummy-not-a-key\n-----END OPENSSH PRIVATE KEY-----";
  return [
    ...Array.from({ length: hostCount }, (_, i): [string, string] => [`hosts[${i}].sshPrivateKey`, key]),
    ["vmAccess.sshPrivateKey", key],
    ["windowsWorkers.adminPassword", "Bench-Dummy-Passw0rd!"],
    ["mongodb.adminPassword", "bench-dummy-mongo-password"],
    ["mongodb.adminPasswordEncrypted", "bench-dummy-mongo-password-encrypted"],
  ];
}

function packageVersion(repoRoot: string, pkg: string): string {
  return (JSON.parse(readFileSync(join(repoRoot, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
}

function unavailable(reason: string): EngineResult {
  return { available: false, reason };
}

export function measureEngine(repoRoot: string, repeats: number): EngineResult {
  const cache = process.env.OPENTWIN_TOOLCHAIN_CACHE ?? join(homedir(), ".cache", "opentwin-iac");
  const bin = join(cache, "bin");
  const pulumiHome = join(cache, "pulumi-home");
  if (!existsSync(join(bin, "pulumi"))) return unavailable(`no ${join(bin, "pulumi")} (scripts/toolchain/engine.sh has not completed here)`);
  const missing = PLUGINS.filter(({ name, pkg }) => !existsSync(join(pulumiHome, "plugins", `resource-${name}-v${packageVersion(repoRoot, pkg)}`)));
  if (missing.length > 0) {
    const have = existsSync(join(pulumiHome, "plugins")) ? readdirSync(join(pulumiHome, "plugins")).join(", ") || "none" : "none";
    return unavailable(
      `provider plugins missing from ${join(pulumiHome, "plugins")}: ${missing.map(({ name, pkg }) => `resource-${name}-v${packageVersion(repoRoot, pkg)}`).join(", ")} (installed: ${have}); the program cannot be previewed without them`,
    );
  }

  const work = mkdtempSync(join(tmpdir(), "opentwin-bench-"));
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      PULUMI_HOME: pulumiHome,
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_BACKEND_URL: `file://${join(work, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "benchmark-throwaway",
    };
    mkdirSync(join(work, "state"));
    const pulumi = (cwd: string, args: string[]) => {
      const run = timed(join(bin, "pulumi"), [...args, "--non-interactive"], { cwd, env, timeoutMs: 240_000 });
      if (run.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${run.status}): ${(run.stderr + run.stdout).trim().split("\n").slice(-8).join(" | ")}`);
      return run;
    };
    const version = timed(join(bin, "pulumi"), ["version"], { env }).stdout.trim();

    // The project, with its own copy of the stack files.
    const project = join(work, "project");
    mkdirSync(join(project, "stacks"), { recursive: true });
    for (const entry of ["infra", "components", "tools", "node_modules", "package.json", "tsconfig.json"]) symlinkSync(join(repoRoot, entry), join(project, entry));
    copyFileSync(join(repoRoot, "Pulumi.yaml"), join(project, "Pulumi.yaml"));
    for (const stack of ["dev", "production"]) copyFileSync(join(repoRoot, "stacks", `Pulumi.${stack}.yaml`), join(project, "stacks", `Pulumi.${stack}.yaml`));

    // The one-resource program: same runtime and TypeScript setup, one component resource, no plugin.
    const baseline = join(work, "baseline");
    mkdirSync(baseline);
    for (const entry of ["node_modules", "tsconfig.json"]) symlinkSync(join(repoRoot, entry), join(baseline, entry));
    writeFileSync(join(baseline, "Pulumi.yaml"), "name: bench-baseline\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n");
    writeFileSync(
      join(baseline, "index.ts"),
      'import * as pulumi from "@pulumi/pulumi";\nclass One extends pulumi.ComponentResource {\n  constructor(name: string) {\n    super("bench:index:One", name, {}, {});\n    this.registerOutputs({});\n  }\n}\nnew One("one");\n',
    );

    pulumi(baseline, ["stack", "init", "bench", "--secrets-provider", "passphrase"]);
    const hosts = { dev: 1, production: 3 } as const;
    for (const stack of ["dev", "production"] as const) {
      pulumi(project, ["stack", "init", stack, "--secrets-provider", "passphrase"]);
      for (const [path, value] of dummySecrets(hosts[stack])) pulumi(project, ["config", "set", "--secret", "--path", "-s", stack, path, value]);
    }

    const targets = [
      { label: "one-resource program", cwd: baseline, stack: "bench" },
      { label: "dev", cwd: project, stack: "dev" },
      { label: "production", cwd: project, stack: "production" },
    ];
    const times = new Map<string, number[]>(targets.map((t) => [t.label, []]));
    const resources = new Map<string, string>();
    // Interleaved, so drift of the machine affects every target alike; one warm-up round first.
    for (let round = -1; round < repeats; round++) {
      for (const t of targets) {
        const run = pulumi(t.cwd, ["preview", "-s", t.stack, "--diff=false"]);
        if (round >= 0) times.get(t.label)!.push(run.ms);
        const creates = /(\d+) to create/.exec(run.stdout)?.[1];
        if (creates !== undefined) resources.set(t.label, creates);
      }
    }
    const parallel = /--parallel int32.*\(default (\d+)\)/.exec(timed(join(bin, "pulumi"), ["preview", "--help"], { env }).stdout)?.[1] ?? "unknown";
    return {
      available: true,
      version,
      parallel,
      rows: targets.map((t) => ({ label: t.label, resources: resources.get(t.label) ?? "?", ms: spread(times.get(t.label)!) })),
    };
  } catch (error) {
    return unavailable(error instanceof Error ? error.message : String(error));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
