/** The dev stack's Windows worker (otwin1 on hv1) and control plane (otcp1), as component arguments. */
import type { WindowsWorkerArgs } from "../../../components/cluster/windowsWorkerTypes";
import type { HyperVHost } from "../../../components/hyperv/types";
import { artifactsFor } from "../../../components/lib/artifacts";
import { KUBERNETES_MINORS, type WindowsBuildName } from "../../../components/lib/catalog";
import { parseCidr } from "../../../components/lib/cidr";
import { stackConfig } from "../../support/stacks";

/** Stand-ins for the secrets the stack file does not hold; tests check they never reach a command line. */
export const FAKE_ADMIN_PASSWORD = "Adm1n-P@ss'<&>\"word";
export const FAKE_PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nFAKE-KEY-MATERIAL\n-----END OPENSSH PRIVATE KEY-----\n";
export const FAKE_HOST_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nFAKE-HOST-KEY\n-----END OPENSSH PRIVATE KEY-----\n";

 
const dev = stackConfig("dev") as any;

export function devHost(): HyperVHost {
  const h = dev.hosts[0];
  return {
    name: h.name,
    host: h.sshAddress,
    port: h.sshPort ?? 22,
    user: h.sshUser,
    privateKey: FAKE_HOST_KEY,
    vmPath: h.vmPath,
    switchName: h.switchName,
    baseDisks: h.baseDisks,
  };
}

export function devWorkerArgs(overrides: { host?: HyperVHost } = {}): WindowsWorkerArgs {
  const k = dev.kubernetes;
  const checksums = k.downloads.checksums as Record<string, string>;
  const artifacts = artifactsFor("windows", {
    kubernetes: k.version,
    containerd: k.containerdVersion,
    runc: k.runcVersion,
    cniPlugins: k.cniPluginsVersion,
    crictl: k.crictlVersion,
  }).map((a) => ({ ...a, checksum: checksums[a.checksumKey]! }));
  const minor = k.version.split(".").slice(0, 2).join(".") as keyof typeof KUBERNETES_MINORS;
  const node = dev.windowsWorkers.nodes[0];
  const cp = dev.controlPlane.nodes[0];
  return {
    host: overrides.host ?? devHost(),
    node: { name: node.name, address: node.address },
    size: dev.windowsWorkers.size,
    windowsBuild: dev.windowsWorkers.windowsBuild as WindowsBuildName,
    adminPassword: FAKE_ADMIN_PASSWORD,
    vmAccess: { sshPublicKey: dev.vmAccess.sshPublicKey, privateKey: FAKE_PRIVATE_KEY },
    network: {
      prefixLength: parseCidr(dev.network.nodeCidr)!.prefix,
      gateway: dev.network.gateway,
      dnsServers: dev.network.dnsServers,
      podCidr: dev.network.podCidr,
      serviceCidr: dev.network.serviceCidr,
      clusterDomain: "cluster.local",
    },
    kubernetes: {
      version: k.version,
      pauseImage: `registry.k8s.io/pause:${KUBERNETES_MINORS[minor].pause}`,
      containerdVersion: k.containerdVersion,
      artifacts,
    },
    controlPlane: {
      endpoint: { host: cp.address, port: 6443 },
      connection: { host: cp.address, port: 22, user: dev.vmAccess.user, privateKey: FAKE_PRIVATE_KEY },
    },
    timeouts: { sshMinutes: 15, windowsPrepareMinutes: 45 },
  };
}

export function devControlPlaneNode(): { name: string; address: string; user: string; sshPublicKey: string; gateway: string; dnsServers: string[]; prefixLength: number } {
  const cp = dev.controlPlane.nodes[0];
  return {
    name: cp.name,
    address: cp.address,
    user: dev.vmAccess.user,
    sshPublicKey: dev.vmAccess.sshPublicKey,
    gateway: dev.network.gateway,
    dnsServers: dev.network.dnsServers,
    prefixLength: parseCidr(dev.network.nodeCidr)!.prefix,
  };
}
