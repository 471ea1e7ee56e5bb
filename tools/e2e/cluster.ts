/**
 * The kwok loopback cluster for the cluster tier: start and stop it with scripts/cluster/up.sh and
 * down.sh, and read the live API with the cluster toolchain's kubectl (`-o json`).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "./project";

const CACHE = process.env.OPENTWIN_TOOLCHAIN_CACHE ?? join(homedir(), ".cache", "opentwin-iac");
export const KUBECTL = join(CACHE, "bin", "kubectl");

export interface RunningCluster {
  readonly kubeconfigPath: string;
  /** Self-contained kubeconfig (certificates and key inline): what the stack gets as its secret. */
  readonly kubeconfig: string;
  readonly apiServer: { host: string; port: number };
  /** The base64 client key of the kubeconfig: a sentinel that must never appear in clear. */
  readonly clientKeyData: string;
}

export function startCluster(): RunningCluster {
  const result = spawnSync("bash", [join(REPO_ROOT, "scripts", "cluster", "up.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 1_800_000 });
  const last = (result.stdout ?? "").trim().split("\n").at(-1) ?? "";
  if (result.status !== 0 || !last.startsWith("KUBECONFIG=")) throw new Error(`scripts/cluster/up.sh failed (${result.status}): ${last}`);
  const kubeconfigPath = last.slice("KUBECONFIG=".length);
  const kubeconfig = execFileSync(KUBECTL, ["--kubeconfig", kubeconfigPath, "config", "view", "--flatten", "--minify"], { encoding: "utf8" });
  const document = parse(kubeconfig) as { clusters: { cluster: { server: string } }[]; users: { user: Record<string, string> }[] };
  const server = new URL(document.clusters[0]!.cluster.server);
  return {
    kubeconfigPath,
    kubeconfig,
    apiServer: { host: server.hostname, port: Number(server.port) },
    clientKeyData: document.users[0]!.user["client-key-data"]!,
  };
}

export function stopCluster(): number {
  return spawnSync("bash", [join(REPO_ROOT, "scripts", "cluster", "down.sh")], { stdio: ["ignore", "inherit", "inherit"], timeout: 300_000 }).status ?? -1;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string }[] };
  // Live objects of every kind, read as JSON: the checks pick the fields they need.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  data?: Record<string, string>;
}

export function kubectl(kubeconfigPath: string, args: string[]): string {
  return execFileSync(KUBECTL, ["--kubeconfig", kubeconfigPath, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

/** `kubectl get <what> -o json` items; [] when the resource kind or namespace has none. */
export function list(kubeconfigPath: string, what: string, namespace?: string): KubeObject[] {
  const scope = namespace === undefined ? ["--all-namespaces"] : ["-n", namespace];
  const out = kubectl(kubeconfigPath, ["get", what, ...scope, "-o", "json", "--ignore-not-found"]);
  return out.trim() === "" ? [] : ((JSON.parse(out) as { items: KubeObject[] }).items ?? []);
}

export function get(kubeconfigPath: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
  const out = kubectl(kubeconfigPath, ["get", kind, name, ...(namespace ? ["-n", namespace] : []), "-o", "json", "--ignore-not-found"]);
  return out.trim() === "" ? undefined : (JSON.parse(out) as KubeObject);
}
