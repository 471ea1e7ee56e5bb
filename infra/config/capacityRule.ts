/**
 * Rule: the OpenTwin Windows pods fit the Windows workers the stack builds. Each pod requests its
 * service's cpu and memory (components/opentwin/workloads.ts: memory request = limit, CPU request only);
 * a service has `replicas` pods (LDS: `replicas` instances of one pod each). The Windows networking
 * DaemonSets (flanneld, kube-proxy; components/network/windowsManifests.ts) request nothing, and MongoDB
 * runs on a Linux node, so neither counts here.
 *
 * What the scheduler can hand out per worker: memory = memoryGiB minus the memory the kubelet reserves
 * for Windows (--system-reserved, systemReservedMemoryMi); CPU = vcpu (no CPU is reserved). The kubelet's
 * hard-eviction threshold is not subtracted, so this is an upper bound of the real allocatable.
 */
import { MAXIMUM_SIZE, MINIMUM_SIZES, OPENTWIN_SERVICE_NAMES } from "../../components/lib/catalog";
import { systemReservedMemoryMi } from "../../components/cluster/windowsWorkerPlan";
import { serviceReplicas } from "./derived";
import type { Problem } from "./problems";
import { cpuMillis, formatCpu, formatMemory, memoryBytes } from "./quantities";
import { problem, rule } from "./rule";
import type { SizeConfig } from "./schema";

const MI = 2 ** 20;

/** What one Windows worker of this size can give its pods. */
export function windowsAllocatable(size: Pick<SizeConfig, "vcpu" | "memoryGiB">): { cpuMillis: number; memoryBytes: number } {
  return { cpuMillis: size.vcpu * 1000, memoryBytes: (size.memoryGiB * 1024 - systemReservedMemoryMi(size.memoryGiB)) * MI };
}

function withinBounds(size: SizeConfig): boolean {
  const min = MINIMUM_SIZES.windowsWorker;
  return (["vcpu", "memoryGiB"] as const).every((f) => size[f] >= min[f] && size[f] <= MAXIMUM_SIZE[f]);
}

export const windowsCapacity = rule(["cluster", "windowsWorkers", "opentwin"], (config) => {
  // An existing cluster's node sizes are unknown; a missing or out-of-range size has its own problem (sizes rule).
  const { size, nodes } = config.windowsWorkers;
  if (config.cluster.target === "existing" || size === undefined || nodes.length === 0 || !withinBounds(size)) return [];
  const perWorker = windowsAllocatable(size);
  const workerText = `${size.vcpu} vCPU, ${size.memoryGiB} GiB`;
  const found: Problem[] = [];
  let pods = 0;
  let cpuTotal = 0;
  let memoryTotal = 0;
  for (const service of OPENTWIN_SERVICE_NAMES) {
    const { cpu, memory } = config.opentwin.services[service];
    const count = serviceReplicas(config, service);
    const millis = cpuMillis(cpu);
    const bytes = memoryBytes(memory);
    if (millis === undefined || bytes === undefined) continue;
    const path = ["opentwin", "services", service];
    if (bytes > perWorker.memoryBytes) {
      found.push(
        problem([...path, "memory"], memory, `is more than one Windows worker can give a pod (its memoryGiB minus ${formatMemory(systemReservedMemoryMi(size.memoryGiB) * MI)} the kubelet reserves for Windows)`, `at most ${formatMemory(perWorker.memoryBytes)} on a ${workerText} worker`),
      );
    }
    if (millis > perWorker.cpuMillis) {
      found.push(problem([...path, "cpu"], cpu, "is more than one Windows worker can give a pod (its vcpu)", `at most ${formatCpu(perWorker.cpuMillis)} on a ${workerText} worker`));
    }
    pods += count;
    cpuTotal += count * millis;
    memoryTotal += count * bytes;
  }
  const over = [memoryTotal > perWorker.memoryBytes * nodes.length && "memory", cpuTotal > perWorker.cpuMillis * nodes.length && "CPU"].filter((w): w is string => w !== false);
  if (over.length > 0) {
    const workers = `${nodes.length} Windows worker${nodes.length === 1 ? "" : "s"} of ${workerText}`;
    found.push(
      problem(
        ["opentwin", "services"],
        { pods, cpu: formatCpu(cpuTotal), memory: formatMemory(memoryTotal) },
        `request more ${over.join(" and ")} than all Windows workers have together (fitting the total is necessary, not sufficient: each pod must also fit whole on one worker)`,
        `at most ${formatCpu(perWorker.cpuMillis * nodes.length)} CPU and ${formatMemory(perWorker.memoryBytes * nodes.length)} memory in total on ${workers}`,
      ),
    );
  }
  return found;
});
