/**
 * Checks that span several keys. Pure: takes a parsed configuration, returns every problem found.
 * One rule a function, so each can be read and tested on its own.
 */
import { artifactsFor } from "../../components/lib/artifacts";
import {
  KUBERNETES_MINOR_NAMES,
  MINIMUM_SIZES,
  OPENTWIN_SERVICE_NAMES,
  WINDOWS_BUILDS,
  WINDOWS_COMPUTER_NAME_MAX,
  WINDOWS_VXLAN,
  kubernetesMinorOf,
  windowsBuildOfTag,
  type NodeRole,
  type WindowsBuildName,
} from "../../components/lib/catalog";
import { formatCidr, isHostAddress, overlaps, parseCidr, parseIpv4, type Ipv4Network } from "../../components/lib/cidr";
import type { NodeConfig, SizeConfig, StackConfig } from "./schema";
import { keyOf, type Problem } from "./problems";
import { servicePorts } from "./derived";
import { suppliedPkiContent } from "./suppliedPki";

type Rule = (config: StackConfig) => Problem[];

const problem = (path: PropertyKey[], value: unknown, what: string, allowed: string): Problem => ({
  key: keyOf(path),
  value,
  problem: what,
  allowed,
});

interface PlacedNode {
  readonly role: NodeRole;
  readonly node: NodeConfig;
  readonly path: PropertyKey[];
}

/** Every VM the stack asks for, with the key it was declared under. */
export function placedNodes(config: StackConfig): PlacedNode[] {
  const list = (role: NodeRole, nodes: readonly NodeConfig[], at: string): PlacedNode[] =>
    nodes.map((node, i) => ({ role, node, path: [at, "nodes", i] }));
  return [
    ...list("controlPlane", config.controlPlane?.nodes ?? [], "controlPlane"),
    ...list("windowsWorker", config.windowsWorkers.nodes, "windowsWorkers"),
    ...list("linuxWorker", config.linuxWorkers.nodes, "linuxWorkers"),
  ];
}

const networks: Rule = (config) => {
  const found: Problem[] = [];
  const parsed: { name: string; network: Ipv4Network }[] = [];
  for (const name of ["nodeCidr", "podCidr", "serviceCidr"] as const) {
    const value = config.network[name];
    if (value === undefined) continue;
    const network = parseCidr(value);
    if (network === undefined) {
      found.push(problem(["network", name], value, "is not an IPv4 network", "a CIDR such as 10.244.0.0/16 with no host bits set"));
    } else parsed.push({ name, network });
  }
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const a = parsed[i]!;
      const b = parsed[j]!;
      if (overlaps(a.network, b.network)) {
        found.push(
          problem(["network", b.name], formatCidr(b.network), `overlaps ${keyOf(["network", a.name])} (${formatCidr(a.network)})`, "node, pod and service networks that share no address"),
        );
      }
    }
  }
  return found;
};

function nodeNetwork(config: StackConfig): Ipv4Network | undefined {
  return config.network.nodeCidr === undefined ? undefined : parseCidr(config.network.nodeCidr);
}

const nodeAddresses: Rule = (config) => {
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
      found.push(problem(path, value, `is outside the node network ${formatCidr(network)}`, `a host address in ${keyOf(["network", "nodeCidr"])}`));
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
};

const nodeNames: Rule = (config) => {
  const found: Problem[] = [];
  const seen = new Map<string, string>();
  for (const { role, node, path } of placedNodes(config)) {
    if (role === "windowsWorker" && node.name.length > WINDOWS_COMPUTER_NAME_MAX) {
      found.push(problem([...path, "name"], node.name, `is ${node.name.length} characters long`, `a Windows computer name of at most ${WINDOWS_COMPUTER_NAME_MAX} characters`));
    }
    const earlier = seen.get(node.name);
    if (earlier !== undefined) found.push(problem([...path, "name"], node.name, `is already the name of ${earlier}`, "a name no other VM has"));
    else seen.set(node.name, keyOf(path));
  }
  return found;
};

const hostsAndTarget: Rule = (config) => {
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
};

const controlPlaneCount: Rule = (config) => {
  const cp = config.controlPlane;
  if (cp === undefined) return [];
  const count = cp.nodes.length;
  if (count === 1) return [];
  if (count !== 3) return [problem(["controlPlane", "nodes"], cp.nodes.map((n) => n.name), `has ${count} nodes`, "1 node, or 3 nodes with controlPlane.virtualIp (an odd etcd quorum)")];
  if (cp.virtualIp === undefined) return [problem(["controlPlane", "virtualIp"], undefined, "is required with 3 control-plane nodes", "an unused address in the node network that kube-vip announces")];
  return [];
};

const sizes: Rule = (config) => {
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
};

function roleText(role: NodeRole): string {
  return { controlPlane: "Debian control-plane node", linuxWorker: "Debian worker", windowsWorker: "Windows worker" }[role];
}

/** Windows nodes exist when the stack builds Windows workers or deploys onto an existing cluster (which has them). */
export function hasWindowsNodes(config: StackConfig): boolean {
  return config.windowsWorkers.nodes.length > 0 || config.cluster.target === "existing";
}

const flannelOnWindows: Rule = (config) => {
  if (!config.flannel.enabled || !hasWindowsNodes(config)) return [];
  const found: Problem[] = [];
  if (config.flannel.vni < WINDOWS_VXLAN.minimumVni) {
    found.push(problem(["flannel", "vni"], config.flannel.vni, "is below what Windows VXLAN accepts", `${WINDOWS_VXLAN.minimumVni} or more while Windows workers exist`));
  }
  if (config.flannel.port !== WINDOWS_VXLAN.port) {
    found.push(problem(["flannel", "port"], config.flannel.port, "is not the VXLAN port Windows uses", `${WINDOWS_VXLAN.port} while Windows workers exist`));
  }
  return found;
};

const kubernetesVersion: Rule = (config) =>
  kubernetesMinorOf(config.kubernetes.version) === undefined
    ? [problem(["kubernetes", "version"], config.kubernetes.version, "is not a Kubernetes version this program can install", `a version MAJOR.MINOR.PATCH of ${KUBERNETES_MINOR_NAMES.join(", ")}`)]
    : [];

const imageBuild: Rule = (config) => {
  const wanted = config.windowsWorkers.windowsBuild as WindowsBuildName;
  const image = config.opentwin.image;
  const tag = imageTag(image);
  const found = tag === undefined ? undefined : windowsBuildOfTag(tag);
  if (found === wanted) return [];
  const allowed = `an image whose tag names ${wanted} (${WINDOWS_BUILDS[wanted].build}), the workers' Windows build`;
  if (found === undefined) return [problem(["opentwin", "image"], image, "has a tag that names no Windows build", allowed)];
  return [problem(["opentwin", "image"], image, `is built for ${found} (${WINDOWS_BUILDS[found].build}), not for the workers' ${wanted}`, allowed)];
};

/** The tag of an image reference (the part after the last ':' that follows the last '/'), if any. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split("@")[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

const renewal: Rule = (config) => {
  const { earlyRenewalHours, validityHours, caValidityHours } = config.pki;
  const found: Problem[] = [];
  if (earlyRenewalHours >= validityHours) {
    found.push(problem(["pki", "earlyRenewalHours"], earlyRenewalHours, `is not below pki.validityHours (${validityHours}), which would issue new certificates on every run`, `fewer hours than pki.validityHours`));
  }
  if (validityHours > caValidityHours) {
    found.push(problem(["pki", "validityHours"], validityHours, `outlives the CA (pki.caValidityHours ${caValidityHours})`, "at most pki.caValidityHours"));
  }
  return found;
};

const suppliedPki: Rule = (config) => {
  if (config.pki.mode !== "supplied") return [];
  const found: Problem[] = [];
  if (config.pki.caCertificate === undefined) found.push(problem(["pki", "caCertificate"], undefined, "is required when pki.mode is \"supplied\"", "the CA certificate in PEM"));
  const given = config.pki.certificates ?? {};
  for (const name of [...OPENTWIN_SERVICE_NAMES, "mongodb"]) {
    if (given[name] === undefined) found.push(problem(["pki", "certificates", name], undefined, "is missing while pki.mode is \"supplied\"", "a certificate and privateKey for every OpenTwin service and mongodb"));
  }
  for (const name of Object.keys(given)) {
    if (![...OPENTWIN_SERVICE_NAMES, "mongodb"].includes(name)) {
      found.push(problem(["pki", "certificates", name], name, "is not an OpenTwin service", [...OPENTWIN_SERVICE_NAMES, "mongodb"].join(", ")));
    }
  }
  return found;
};

const publication: Rule = (config) => {
  const found: Problem[] = [];
  config.opentwin.externalIPs.forEach((ip, i) => {
    if (parseIpv4(ip) === undefined) found.push(problem(["opentwin", "externalIPs", i], ip, "is not an IPv4 address", "dotted IPv4 addresses"));
  });
  const host = config.opentwin.publicHost;
  if (parseIpv4(host) === undefined && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(host)) {
    found.push(problem(["opentwin", "publicHost"], host, "is neither an IPv4 address nor a DNS name", "an IPv4 address or a DNS name the desktop front end resolves"));
  }
  const owner = new Map<number, string>();
  for (const { service, port, path } of servicePorts(config)) {
    const earlier = owner.get(port);
    if (earlier !== undefined) found.push(problem(path, port, `is already used by ${earlier}`, "a port no other OpenTwin service (or the LDS port window) uses"));
    else owner.set(port, service);
  }
  return found;
};

const replicas: Rule = (config) => {
  const found: Problem[] = [];
  for (const name of OPENTWIN_SERVICE_NAMES) {
    const count = config.opentwin.services[name].replicas;
    if (count === undefined) continue;
    const scalable = name === "auth" || name === "lds";
    if (!scalable && count !== 1) found.push(problem(["opentwin", "services", name, "replicas"], count, `is not 1, but ${name} keeps its state in memory and registers one URL`, "1"));
    if (scalable && count < 1) found.push(problem(["opentwin", "services", name, "replicas"], count, "would leave OpenTwin without this service", "1 or more"));
  }
  return found;
};

const downloads: Rule = (config) => {
  if (config.cluster.target !== "hyperv") return [];
  const versions = {
    kubernetes: config.kubernetes.version,
    containerd: config.kubernetes.containerdVersion,
    runc: config.kubernetes.runcVersion,
    cniPlugins: config.kubernetes.cniPluginsVersion,
    crictl: config.kubernetes.crictlVersion,
  };
  const needed = [...artifactsFor("linux", versions), ...(config.windowsWorkers.nodes.length > 0 ? artifactsFor("windows", versions) : [])];
  const pinned = config.kubernetes.downloads.checksums;
  const found: Problem[] = needed
    .filter((artifact) => pinned[artifact.name] === undefined)
    .map((artifact) => problem(["kubernetes", "downloads", "checksums", artifact.name], undefined, `is missing for ${artifact.url}`, "sha256:<hex> or sha512:<hex> as the upstream project publishes it for that file"));
  const names = new Set(needed.map((a) => a.name));
  for (const name of Object.keys(pinned)) {
    if (!names.has(name)) found.push(problem(["kubernetes", "downloads", "checksums", name], pinned[name], "names no artifact this stack downloads", [...names].join(", ")));
  }
  return found;
};

export const RULES: readonly Rule[] = [
  networks,
  nodeAddresses,
  nodeNames,
  hostsAndTarget,
  controlPlaneCount,
  sizes,
  flannelOnWindows,
  kubernetesVersion,
  imageBuild,
  renewal,
  suppliedPki,
  suppliedPkiContent,
  publication,
  replicas,
  downloads,
];

export function checkRules(config: StackConfig): Problem[] {
  return RULES.flatMap((rule) => rule(config));
}
