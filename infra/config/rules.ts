/**
 * Checks that span several keys. Pure: takes a parsed configuration, returns every problem found.
 * One rule a function, so each can be read and tested on its own; each names the top-level keys it
 * reads, so it still runs when another key failed the schema (see rule.ts).
 */
import { artifactsFor } from "../../components/lib/artifacts";
import { KUBERNETES_MINOR_NAMES, OPENTWIN_SERVICE_NAMES, WINDOWS_BUILDS, WINDOWS_VXLAN, kubernetesMinorOf, windowsBuildOfTag, type WindowsBuildName } from "../../components/lib/catalog";
import { formatCidr, overlaps, parseCidr, parseIpv4, type Ipv4Network } from "../../components/lib/cidr";
import { imageTag } from "../../components/lib/images";
import { windowsCapacity } from "./capacityRule";
import { publishedPorts, type PublishedPort } from "./derived";
import { isIpv4OrDnsName } from "./formats";
import { controlPlaneCount, hostsAndTarget, nodeAddresses, nodeNames, sizes } from "./nodeRules";
import { STACK_KEYS, type StackKey } from "./parse";
import { keyOf, type Problem } from "./problems";
import { problem, rule, type Rule } from "./rule";
import type { StackConfig } from "./schema";
import { suppliedPkiContent } from "./suppliedPki";

export { placedNodes } from "./nodeRules";

const networks = rule(["network"], (config) => {
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
});

/** Windows nodes exist when the stack builds Windows workers or deploys onto an existing cluster (which has them). */
export function hasWindowsNodes(config: Pick<StackConfig, "windowsWorkers" | "cluster">): boolean {
  return config.windowsWorkers.nodes.length > 0 || config.cluster.target === "existing";
}

const flannelOnWindows = rule(["flannel", "windowsWorkers", "cluster"], (config) => {
  if (!config.flannel.enabled || !hasWindowsNodes(config)) return [];
  const found: Problem[] = [];
  if (config.flannel.vni < WINDOWS_VXLAN.minimumVni) {
    found.push(problem(["flannel", "vni"], config.flannel.vni, "is below what Windows VXLAN accepts", `${WINDOWS_VXLAN.minimumVni} or more while Windows workers exist`));
  }
  if (config.flannel.port !== WINDOWS_VXLAN.port) {
    found.push(problem(["flannel", "port"], config.flannel.port, "is not the VXLAN port Windows uses", `${WINDOWS_VXLAN.port} while Windows workers exist`));
  }
  return found;
});

/** The Windows kube-proxy must match the cluster; the Flannel component applies the same condition. */
const windowsKubeProxyVersion = rule(["flannel", "windowsWorkers", "cluster", "kubernetes"], (config) => {
  if (!config.flannel.enabled || !hasWindowsNodes(config)) return [];
  const version = config.kubernetes.version.replace(/^v/, "");
  const image = config.flannel.images.windowsKubeProxy;
  if ((imageTag(image) ?? "").includes(version)) return [];
  return [problem(["flannel", "images", "windowsKubeProxy"], image, `has a tag that does not name the cluster's Kubernetes version v${version}`, `an image whose tag names v${version} (kubernetes.version): kube-proxy must match the cluster`)];
});

const kubernetesVersion = rule(["kubernetes"], (config) =>
  kubernetesMinorOf(config.kubernetes.version) === undefined
    ? [problem(["kubernetes", "version"], config.kubernetes.version, "is not a Kubernetes version this program can install", `a version MAJOR.MINOR.PATCH of ${KUBERNETES_MINOR_NAMES.join(", ")}`)]
    : [],
);

const imageBuild = rule(["windowsWorkers", "opentwin"], (config) => {
  const wanted = config.windowsWorkers.windowsBuild as WindowsBuildName;
  const image = config.opentwin.image;
  const tag = imageTag(image);
  const found = tag === undefined ? undefined : windowsBuildOfTag(tag);
  if (found === wanted) return [];
  const allowed = `an image whose tag names ${wanted} (${WINDOWS_BUILDS[wanted].build}), the workers' Windows build`;
  if (tag === undefined) return [problem(["opentwin", "image"], image, "has no tag; the tag must name the Windows build (a digest alone does not say which)", allowed)];
  if (found === undefined) return [problem(["opentwin", "image"], image, "has a tag that names no Windows build", allowed)];
  return [problem(["opentwin", "image"], image, `is built for ${found} (${WINDOWS_BUILDS[found].build}), not for the workers' ${wanted}`, allowed)];
});

const renewal = rule(["pki"], (config) => {
  const { earlyRenewalHours, validityHours, caValidityHours } = config.pki;
  const found: Problem[] = [];
  if (earlyRenewalHours >= validityHours) {
    found.push(problem(["pki", "earlyRenewalHours"], earlyRenewalHours, `is not below pki.validityHours (${validityHours}), which would issue new certificates on every run`, `fewer hours than pki.validityHours`));
  }
  if (validityHours > caValidityHours) {
    found.push(problem(["pki", "validityHours"], validityHours, `outlives the CA (pki.caValidityHours ${caValidityHours})`, "at most pki.caValidityHours"));
  }
  return found;
});

const suppliedPki = rule(["pki"], (config) => {
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
});

const PORT_ALLOWED = "a port no other OpenTwin service, MongoDB or LDS port window uses";

const publication = rule(["opentwin", "mongodb"], (config) => {
  const found: Problem[] = [];
  config.opentwin.externalIPs.forEach((ip, i) => {
    if (parseIpv4(ip) === undefined) found.push(problem(["opentwin", "externalIPs", i], ip, "is not an IPv4 address", "dotted IPv4 addresses"));
  });
  const host = config.opentwin.publicHost;
  if (!isIpv4OrDnsName(host)) {
    found.push(problem(["opentwin", "publicHost"], host, "is neither an IPv4 address nor a DNS name", "an IPv4 address or a DNS name the desktop front end resolves"));
  }
  const owners = new Map<number, PublishedPort>();
  const tooHigh = new Set<string>();
  for (const entry of publishedPorts(config)) {
    if (entry.port > 65535) {
      const key = keyOf(entry.path);
      if (!tooHigh.has(key)) found.push(problem(entry.path, entry.port, `puts ${entry.owner} above port 65535`, "ports that end at 65535 or below"));
      tooHigh.add(key);
      continue;
    }
    const earlier = owners.get(entry.port);
    if (earlier === undefined) owners.set(entry.port, entry);
    else if (entry.window && !earlier.window) found.push(problem(earlier.path, earlier.port, `is inside ${entry.owner}`, PORT_ALLOWED));
    else found.push(problem(entry.path, entry.port, `is already used by ${earlier.owner}`, PORT_ALLOWED));
  }
  return found;
});

const replicas = rule(["opentwin"], (config) => {
  const found: Problem[] = [];
  for (const name of OPENTWIN_SERVICE_NAMES) {
    const count = config.opentwin.services[name].replicas;
    if (count === undefined) continue;
    const scalable = name === "auth" || name === "lds";
    if (!scalable && count !== 1) found.push(problem(["opentwin", "services", name, "replicas"], count, `is not 1, but ${name} keeps its state in memory and registers one URL`, "1"));
    if (scalable && count < 1) found.push(problem(["opentwin", "services", name, "replicas"], count, "would leave OpenTwin without this service", "1 or more"));
  }
  return found;
});

const downloads = rule(["cluster", "kubernetes", "windowsWorkers"], (config) => {
  // An unknown Kubernetes version is reported by its own rule; its downloads would be noise.
  if (config.cluster.target !== "hyperv" || kubernetesMinorOf(config.kubernetes.version) === undefined) return [];
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
    .filter((artifact) => pinned[artifact.checksumKey] === undefined)
    .map((artifact) => problem(["kubernetes", "downloads", "checksums", artifact.checksumKey], undefined, `is missing for ${artifact.url}`, "sha256:<hex> or sha512:<hex> as the upstream project publishes it for that file"));
  const keys = new Set(needed.map((a) => a.checksumKey));
  for (const key of Object.keys(pinned)) {
    if (keys.has(key)) continue;
    const sameArtifact = needed.find((a) => key.startsWith(`${a.name}-v`));
    if (sameArtifact !== undefined) {
      found.push(problem(["kubernetes", "downloads", "checksums", key], pinned[key], `is for a version this stack does not download (it downloads ${sameArtifact.checksumKey})`, `${sameArtifact.checksumKey} with the checksum of that file, in place of this one`));
    } else found.push(problem(["kubernetes", "downloads", "checksums", key], pinned[key], "names no artifact this stack downloads", [...keys].join(", ")));
  }
  return found;
});

export const RULES: readonly Rule[] = [
  networks,
  nodeAddresses,
  nodeNames,
  hostsAndTarget,
  controlPlaneCount,
  sizes,
  flannelOnWindows,
  windowsKubeProxyVersion,
  kubernetesVersion,
  imageBuild,
  renewal,
  suppliedPki,
  rule(STACK_KEYS, (config) => suppliedPkiContent(config)),
  publication,
  replicas,
  windowsCapacity,
  downloads,
];

export function checkRules(config: StackConfig): Problem[] {
  return RULES.flatMap((r) => r.check(config));
}

/** The rules whose keys all parsed, run over a partly parsed configuration. */
export function checkParsedRules(config: Partial<StackConfig>, parsed: ReadonlySet<StackKey>): Problem[] {
  // Each rule reads only the keys in `reads` (rule() types it so), and those are present.
  return RULES.filter((r) => r.reads.every((key) => parsed.has(key))).flatMap((r) => r.check(config as StackConfig));
}
