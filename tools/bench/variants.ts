/**
 * Stack variants with N Windows workers, derived from stacks/Pulumi.production.yaml: the same
 * hosts, control plane and Linux worker, a /22 node network so up to ~900 fixed addresses fit,
 * Windows workers spread round-robin over the hosts at 10.20.1.1, 10.20.1.2, ...
 * With fewer workers than the base stack, each worker gets an equal share of the base stack's total
 * Windows capacity (vCPU, memory), so the same OpenTwin services still fit (the capacity rule); sizes
 * change no step's duration in the benchmark's table.
 */
import type { StackFile } from "../render/stackFile";

const KEY = {
  hosts: "opentwin:hosts",
  network: "opentwin:network",
  windows: "opentwin:windowsWorkers",
  openTwin: "opentwin:opentwin",
} as const;

/** Windows computer names are at most 15 characters. */
export function workerName(i: number): string {
  const name = `otwin${i + 1}`;
  if (name.length > 15) throw new Error(`worker name ${name} is longer than 15 characters`);
  return name;
}

/** The i-th worker's address in 10.20.0.0/22, from 10.20.1.1 upwards (10.20.0.x is the base stack's). */
export function workerAddress(i: number): string {
  const offset = 256 + 1 + i; // 10.20.1.1 ...
  if (offset > 1022) throw new Error(`no address for worker ${i + 1} in 10.20.0.0/22`);
  return `10.20.${Math.floor(offset / 256)}.${offset % 256}`;
}

function json(file: StackFile, key: string): Record<string, unknown> {
  const raw = file.config[key];
  if (raw === undefined) throw new Error(`the base stack has no ${key}`);
  return JSON.parse(raw) as Record<string, unknown>;
}

/** The worker size for `count` workers: the base size, or for fewer workers than the base, its total capacity shared out. */
export function scaledSize(windows: Record<string, unknown>, count: number): Record<string, unknown> | undefined {
  const size = windows.size as { vcpu: number; memoryGiB: number } | undefined;
  const baseCount = Array.isArray(windows.nodes) ? windows.nodes.length : 0;
  if (size === undefined || count >= baseCount) return size;
  return { ...size, vcpu: Math.ceil((size.vcpu * baseCount) / count), memoryGiB: Math.ceil((size.memoryGiB * baseCount) / count) };
}

/** The base stack with `count` Windows workers (count >= 1). */
export function withWindowsWorkers(base: StackFile, count: number): StackFile {
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, got ${count}`);
  const hosts = JSON.parse(base.config[KEY.hosts] ?? "[]") as { name: string }[];
  if (hosts.length === 0) throw new Error("the base stack has no hosts");
  const network = { ...json(base, KEY.network), nodeCidr: "10.20.0.0/22" };
  const windows = json(base, KEY.windows);
  const size = scaledSize(windows, count);
  const nodes = Array.from({ length: count }, (_, i) => ({ name: workerName(i), host: hosts[i % hosts.length]!.name, address: workerAddress(i) }));
  const openTwin = json(base, KEY.openTwin);
  const externalIPs = nodes.slice(0, 3).map((n) => n.address);
  return {
    config: {
      ...base.config,
      [KEY.network]: JSON.stringify(network),
      [KEY.windows]: JSON.stringify({ ...windows, nodes, ...(size === undefined ? {} : { size }) }),
      [KEY.openTwin]: JSON.stringify({ ...openTwin, externalIPs }),
    },
    secretKeys: [...base.secretKeys],
  };
}
