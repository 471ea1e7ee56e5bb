/** Maps the validated configuration to the plain arguments the cluster components take. Pure. */
import { artifactsFor, type ArtifactOs, type NodeArtifact } from "../components/lib/artifacts";
import { pauseImageFor } from "../components/lib/catalog";
import { parseCidr } from "../components/lib/cidr";
import type { HyperVHost } from "../components/hyperv/types";
import type { StackConfig } from "./config/schema";
import type { StackSecrets } from "./config/load";


/** The artifacts a node of that OS downloads, each with the checksum the stack pins (validated to exist). */
export function nodeArtifacts(config: StackConfig, os: ArtifactOs): NodeArtifact[] {
  const k = config.kubernetes;
  const versions = { kubernetes: k.version, containerd: k.containerdVersion, runc: k.runcVersion, cniPlugins: k.cniPluginsVersion, crictl: k.crictlVersion };
  return artifactsFor(os, versions, k.downloads.mirror).map(({ name, url, checksumKey }) => ({ name, url, checksum: k.downloads.checksums[checksumKey] ?? "" }));
}

export function kubernetesArgs(config: StackConfig, os: ArtifactOs) {
  return {
    version: config.kubernetes.version,
    pauseImage: pauseImageFor(config.kubernetes.version),
    containerdVersion: config.kubernetes.containerdVersion,
    artifacts: nodeArtifacts(config, os),
  };
}

export function nodeNetwork(config: StackConfig) {
  const network = parseCidr(config.network.nodeCidr ?? "");
  const { gateway, dnsServers } = config.network;
  if (network === undefined || gateway === undefined || dnsServers === undefined) throw new Error("unvalidated node network");
  return {
    prefixLength: network.prefix,
    gateway,
    dnsServers,
    podCidr: config.network.podCidr,
    serviceCidr: config.network.serviceCidr,
    clusterDomain: config.network.clusterDomain,
  };
}

/** Every Hyper-V host by name, with its SSH key from the secrets. */
export function hyperVHosts(config: StackConfig, secrets: StackSecrets): Map<string, HyperVHost> {
  return new Map(
    config.hosts.map((host) => [
      host.name,
      {
        name: host.name,
        host: host.sshAddress,
        port: host.sshPort,
        user: host.sshUser,
        privateKey: secrets.hostSshKeys[host.name]!,
        vmPath: host.vmPath,
        switchName: host.switchName,
        baseDisks: host.baseDisks,
      },
    ]),
  );
}
