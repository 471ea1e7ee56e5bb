/** Rules over the VMs the stack declares: addresses, names, placement on hosts, counts and sizes. */
import { MAXIMUM_SIZE, MINIMUM_SIZES, WINDOWS_COMPUTER_NAME_MAX, type NodeRole } from "../../components/lib/catalog";
import { contains, formatCidr, isHostAddress, parseCidr, parseIpv4, type Ipv4Network } from "../../components/lib/cidr";
import { keyOf, type Problem } from "./problems";
import { problem, rule } from "./rule";
import type { NodeConfig, SizeConfig, StackConfig } from "./schema";

interface PlacedNode {
  readonly role: NodeRole;
  readonly node: NodeConfig;
  readonly path: PropertyKey[];
}

type NodeLists = Pick<StackConfig, "controlPlane" | "windowsWorkers" | "linuxWorkers">;

/** Every VM the stack asks for, with the key it was declared under. */
export function placedNodes(config: NodeLists): PlacedNode[] {
  const list = (role: NodeRole, nodes: readonly NodeConfig[], at: string): PlacedNode[] =>
    nodes.map((node, i) => ({ role, node, path: [at, "nodes", i] }));
  return [
    ...list("controlPlane", config.controlPlane?.nodes ?? [], "controlPlane"),
    ...list("windowsWorker", config.windowsWorkers.nodes, "windowsWorkers"),
    ...list("linuxWorker", config.linuxWorkers.nodes, "linuxWorkers"),
  ];
}

function nodeNetwork(config: Pick<StackConfig, "network">): Ipv4Network | undefined {
  return config.network.nodeCidr === undefined ? undefined : parseCidr(config.network.nodeCidr);
}

export const nodeAddresses = rule(["network", "controlPlane", "windowsWorkers", "linuxWorkers"], (config) => {
  const network = nodeNetwork(config);
  const found: Problem[] = [];
  const seen = new Map<number, string>();
  const claim = (path: PropertyKey[], value: string) => {
    const address = parseIpv4(value);
    if (address === undefined) {
      found.push(problem(path, value, "is not an IPv4 address", "a dotted IPv4 address such as 192.168.10.11"));
      return;
    }
    if (network !== undefined && !isHostAddress(network, address)) {
      const what = !contains(network, address)
        ? `is outside the node network ${formatCidr(network)}`
        : `is the ${address === network.base ? "network" : "broadcast"} address of the node network ${formatCidr(network)}`;
      found.push(problem(path, value, what, `a host address in ${keyOf(["network", "nodeCidr"])}`));
    }
    const earlier = seen.get(address);
    if (earlier !== undefined) {
      found.push(problem(path, value, `is already used by ${earlier}`, "an address no other VM, gateway or virtual IP uses"));
    } else seen.set(address, keyOf(path));
  };
  if (config.network.gateway !== undefined) claim(["network", "gateway"], config.network.gateway);
  (config.network.dnsServers ?? []).forEach((dns, i) => {
    if (parseIpv4(dns) === undefined) found.push(problem(["network", "dnsServers", i], dns, "is not an IPv4 address", "dotted IPv4 addresses"));
  });
  if (config.controlPlane?.virtualIp !== undefined) claim(["controlPlane", "virtualIp"], config.controlPlane.virtualIp);
  for (const { node, path } of placedNodes(config)) claim([...path, "address"], node.address);
  return found;
});

export const nodeNames = rule(["controlPlane", "windowsWorkers", "linuxWorkers"], (config) => {
  const found: Problem[] = [];
  const seen = new Map<string, string>();
  for (const { role, node, path } of placedNodes(config)) {
    if (role === "windowsWorker" && node.name.length > WINDOWS_COMPUTER_NAME_MAX) {
      found.push(problem([...path, "name"], node.name, `is ${node.name.length} characters long`, `a Windows computer name of at most ${WINDOWS_COMPUTER_NAME_MAX} characters`));
    }
    if (role === "windowsWorker" && /^[0-9]+$/.test(node.name)) {
      found.push(problem([...path, "name"], node.name, "is only digits, which Windows refuses as a computer name", "a Windows computer name with at least one letter or hyphen"));
    }
    const earlier = seen.get(node.name);
    if (earlier !== undefined) found.push(problem([...path, "name"], node.name, `is already the name of ${earlier}`, "a name no other VM has"));
    else seen.set(node.name, keyOf(path));
  }
  return found;
});

export const hostsAndTarget = rule(
  ["cluster", "flannel", "hosts", "network", "controlPlane", "windowsWorkers", "linuxWorkers", "vmAccess"],
  (config) => {
    const found: Problem[] = [];
    const nodes = placedNodes(config);
    if (config.cluster.target === "existing") {
      if (config.cluster.mongoNode === undefined) found.push(problem(["cluster", "mongoNode"], undefined, "is required when cluster.target is \"existing\"", "the name of the Linux node that holds MongoDB's local volume"));
      if (config.flannel.enabled && config.cluster.apiServer === undefined) found.push(problem(["cluster", "apiServer"], undefined, "is required when cluster.target is \"existing\" and flannel.enabled", "the API server's host and port as the nodes reach it (or flannel.enabled false when the cluster has its own CNI)"));
      if (config.hosts.length > 0) found.push(problem(["hosts"], config.hosts.map((h) => h.name), "is set while cluster.target is \"existing\"", "no hosts for an existing cluster (or cluster.target \"hyperv\")"));
      for (const { path, node } of nodes) found.push(problem(path, node.name, "declares a VM while cluster.target is \"existing\"", "no VMs for an existing cluster"));
      return found;
    }
    if (config.hosts.length === 0) found.push(problem(["hosts"], [], "is empty", "at least one Hyper-V host"));
    for (const key of ["nodeCidr", "gateway", "dnsServers"] as const) {
      if (config.network[key] === undefined) found.push(problem(["network", key], undefined, "is required for cluster.target \"hyperv\"", "the VMs' node network, its gateway and DNS servers"));
    }
    if (config.controlPlane === undefined) found.push(problem(["controlPlane"], undefined, "is required for cluster.target \"hyperv\"", "a controlPlane with its nodes and size"));
    if (config.vmAccess === undefined) found.push(problem(["vmAccess"], undefined, "is required for cluster.target \"hyperv\"", "vmAccess with the sshPublicKey the VMs trust"));
    const hostNames = new Set<string>();
    config.hosts.forEach((host, i) => {
      if (hostNames.has(host.name)) found.push(problem(["hosts", i, "name"], host.name, "is already the name of another host", "unique host names"));
      hostNames.add(host.name);
    });
    for (const { node, path } of nodes) {
      if (!hostNames.has(node.host)) {
        found.push(problem([...path, "host"], node.host, "is not a host in opentwin:hosts", hostNames.size > 0 ? [...hostNames].join(", ") : "a host declared in opentwin:hosts"));
      }
    }
    return found;
  },
);

export const controlPlaneCount = rule(["controlPlane"], (config) => {
  const cp = config.controlPlane;
  if (cp === undefined) return [];
  const count = cp.nodes.length;
  if (count === 1) return [];
  if (count !== 3) return [problem(["controlPlane", "nodes"], cp.nodes.map((n) => n.name), `has ${count} nodes`, "1 node, or 3 nodes with controlPlane.virtualIp (an odd etcd quorum)")];
  if (cp.virtualIp === undefined) return [problem(["controlPlane", "virtualIp"], undefined, "is required with 3 control-plane nodes", "an unused address in the node network that kube-vip announces")];
  return [];
});

export const sizes = rule(["controlPlane", "windowsWorkers", "linuxWorkers"], (config) => {
  const found: Problem[] = [];
  const check = (role: NodeRole, at: string, size: SizeConfig | undefined, nodeCount: number) => {
    if (size === undefined) {
      if (nodeCount > 0) found.push(problem([at, "size"], undefined, `is required when ${at}.nodes is not empty`, "vcpu, memoryGiB and diskGiB"));
      return;
    }
    const minimum = MINIMUM_SIZES[role];
    for (const field of ["vcpu", "memoryGiB", "diskGiB"] as const) {
      if (size[field] < minimum[field]) {
        found.push(problem([at, "size", field], size[field], `is below the minimum for a ${roleText(role)}`, `${minimum[field]} or more`));
      } else if (size[field] > MAXIMUM_SIZE[field]) {
        found.push(problem([at, "size", field], size[field], "is above what a Hyper-V generation 2 VM supports", `${MAXIMUM_SIZE[field]} or less`));
      }
    }
    if (size.dynamicMemory) {
      found.push(problem([at, "size", "dynamicMemory"], true, "is on for a Kubernetes node (the kubelet reads its memory once at start)", "false"));
    }
  };
  if (config.controlPlane !== undefined) check("controlPlane", "controlPlane", config.controlPlane.size, config.controlPlane.nodes.length);
  check("windowsWorker", "windowsWorkers", config.windowsWorkers.size, config.windowsWorkers.nodes.length);
  check("linuxWorker", "linuxWorkers", config.linuxWorkers.size, config.linuxWorkers.nodes.length);
  return found;
});

function roleText(role: NodeRole): string {
  return { controlPlane: "Debian control-plane node", linuxWorker: "Debian worker", windowsWorker: "Windows worker" }[role];
}
