/**
 * Section 3: wall time of a real `pulumi preview` (the CLI built by scripts/toolchain/engine.sh),
 * run as users run it: `scripts/pulumi-local.sh preview <stack>` on a throwaway project copy
 * (tools/e2e/project.ts). The dev and production stacks need the command and tls plugins; where
 * those are missing (docs/toolchain.md), the e2e stack stands in: existing cluster, supplied PKI
 * (tools/e2e/inputs.ts generates certificates and secrets), kubernetes provider only. Next to it, a
 * one-resource program (one ConfigMap, explicit provider, same kubeconfig) through the same script.
 * The kubeconfig points at a closed loopback port, as in the engine tier: preview needs no cluster.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { applyInputs, generateInputs } from "../e2e/inputs";
import { makeProject, type TempProject } from "../e2e/project";
import { spread, timed, type Spread } from "./measure";

export interface EngineRow {
  /** The baseline (first row), the e2e stand-in, or a full Hyper-V stack (dev, production). */
  readonly kind: "one-resource" | "e2e" | "full";
  readonly label: string;
  readonly resources: string;
  readonly ms: Spread;
}

export type EngineResult =
  | { readonly available: false; readonly reason: string }
  | {
      readonly available: true;
      readonly version: string;
      /** Plugins the dev/production stacks need that are not installed (empty: they were measured too). */
      readonly missingPlugins: readonly string[];
      readonly rows: EngineRow[];
    };

const PLUGINS = [
  { name: "command", pkg: "@pulumi/command" },
  { name: "tls", pkg: "@pulumi/tls" },
  { name: "kubernetes", pkg: "@pulumi/kubernetes" },
] as const;

const PASSPHRASE = "opentwin-bench-throwaway";

/** Kubeconfig with a closed loopback port: the provider previews offline. A dummy token, nothing secret. */
const KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  "clusters: [{ name: unreachable, cluster: { server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true } }]",
  "users: [{ name: bench, user: { token: bench-dummy-token } }]",
  "contexts: [{ name: bench, context: { cluster: unreachable, user: bench } }]",
  "current-context: bench",
  "",
].join("\n");

/** The one-resource program: a ConfigMap with an explicit provider built from the same kubeconfig. */
const ONE_RESOURCE = `import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

const provider = new k8s.Provider("bench", { kubeconfig: new pulumi.Config().requireSecret("benchKubeconfig") });
new k8s.core.v1.ConfigMap("bench-one", { metadata: { name: "bench-one", namespace: "default" }, data: { bench: "one" } }, { provider });
`;

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

/** The one-resource program in a project copy: same Pulumi.yaml (runtime, TypeScript), another `main`. */
function oneResourceProject(): TempProject {
  const project = makeProject("e2e", PASSPHRASE);
  writeFileSync(join(project.dir, "bench-one.ts"), ONE_RESOURCE);
  const manifest = parse(readFileSync(join(project.dir, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(project.dir, "Pulumi.yaml"), stringify({ ...manifest, main: "bench-one.ts" }));
  project.setSecret("benchKubeconfig", KUBECONFIG);
  return project;
}

export function measureEngine(repoRoot: string, repeats: number): EngineResult {
  const cache = process.env.OPENTWIN_TOOLCHAIN_CACHE ?? join(homedir(), ".cache", "opentwin-iac");
  const bin = join(cache, "bin");
  const plugins = join(cache, "pulumi-home", "plugins");
  if (!existsSync(join(bin, "pulumi"))) return { available: false, reason: `no ${join(bin, "pulumi")} (scripts/toolchain/engine.sh has not completed here)` };
  const have = existsSync(plugins) ? readdirSync(plugins) : [];
  const missing = PLUGINS.map(({ name, pkg }) => `resource-${name}-v${packageVersion(repoRoot, pkg)}`).filter((p) => !have.includes(p));
  if (missing.some((p) => p.startsWith("resource-kubernetes-"))) {
    return { available: false, reason: `${missing.join(", ")} missing from ${plugins} (installed: ${have.join(", ") || "none"}); not even the e2e stack can be previewed` };
  }

  const projects: TempProject[] = [];
  const work = mkdtempSync(join(tmpdir(), "opentwin-bench-"));
  try {
    const version = timed(join(bin, "pulumi"), ["version"]).stdout.trim();
    const targets: { kind: EngineRow["kind"]; label: string; project: TempProject }[] = [];
    const add = (kind: EngineRow["kind"], label: string, project: TempProject) => {
      projects.push(project);
      targets.push({ kind, label, project });
    };
    add("one-resource", "one-resource program (ConfigMap + explicit provider)", oneResourceProject());
    const e2e = makeProject("e2e", PASSPHRASE);
    applyInputs(e2e, generateInputs(work, KUBECONFIG));
    add("e2e", "e2e stack (existing cluster, supplied PKI)", e2e);
    if (missing.length === 0) {
      for (const [stack, hosts] of [["dev", 1], ["production", 3]] as const) {
        const project = makeProject(stack, PASSPHRASE);
        for (const [path, value] of dummySecrets(hosts)) project.setSecret(path, value);
        add("full", `${stack} stack`, project);
      }
    }

    const times = new Map<string, number[]>(targets.map((t) => [t.label, []]));
    const resources = new Map<string, string>();
    // Interleaved, so drift of the machine affects every target alike; one warm-up round first.
    for (let round = -1; round < repeats; round++) {
      for (const t of targets) {
        const run = t.project.pulumi("preview", [], { timeoutSeconds: 300 });
        if (run.code !== 0) throw new Error(`preview of ${t.label} failed (${run.code}): ${(run.stderr + run.stdout).trim().split("\n").slice(-8).join(" | ")}`);
        if (round >= 0) times.get(t.label)!.push(run.seconds * 1000);
        const creates = /(\d+) to create/.exec(run.stdout)?.[1];
        if (creates !== undefined) resources.set(t.label, creates);
      }
    }
    return {
      available: true,
      version,
      missingPlugins: missing,
      rows: targets.map((t) => ({ kind: t.kind, label: t.label, resources: resources.get(t.label) ?? "?", ms: spread(times.get(t.label)!) })),
    };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    for (const project of projects) project.remove();
    rmSync(work, { recursive: true, force: true });
  }
}
