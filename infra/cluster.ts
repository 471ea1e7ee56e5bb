/**
 * Levels 1-3 for the Hyper-V target: control plane, Windows and Linux workers, and the Kubernetes
 * provider built from the control plane's kubeconfig. For an existing cluster, only the provider.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { ControlPlane } from "../components/cluster/controlPlane";
import { LinuxWorker } from "../components/cluster/linuxWorker";
import { WindowsWorker } from "../components/cluster/windowsWorker";
import type { WindowsBuildName } from "../components/lib/catalog";
import { remoteStep, sshConnection } from "../components/lib/remote";
import { renderBashScript, sudoBash } from "../components/scripts/debian/bash";
import type { StackSecrets } from "./config/load";
import type { StackConfig } from "./config/schema";
import { controlPlaneEndpoint } from "./config/derived";
import { hyperVHosts, kubernetesArgs, nodeNetwork } from "./nodes";

export interface Cluster {
  readonly provider: k8s.Provider;
  /** API server endpoint, when the program built the cluster. */
  readonly endpoint?: { readonly host: string; readonly port: number };
  /** Resources that must exist before workloads are scheduled (joined workers). */
  readonly nodesReady: pulumi.Resource[];
  /** Where MongoDB runs and whether that node is a control-plane node. */
  readonly mongoPlacement: { readonly nodeName: string; readonly onControlPlane: boolean };
}

export function existingCluster(secrets: StackSecrets, mongoPlacement: Cluster["mongoPlacement"]): Cluster {
  const provider = new k8s.Provider("cluster", { kubeconfig: secrets.kubeconfig, enableServerSideApply: true });
  return { provider, nodesReady: [], mongoPlacement };
}

export function hyperVCluster(config: StackConfig, secrets: StackSecrets): Cluster {
  const cp = config.controlPlane!;
  const access = config.vmAccess!;
  const hosts = hyperVHosts(config, secrets);
  const endpoint = controlPlaneEndpoint(config)!;
  const network = nodeNetwork(config);
  const vmAccess = { user: access.user, sshPublicKey: access.sshPublicKey, privateKey: secrets.vmSshPrivateKey };

  const controlPlane = new ControlPlane("control-plane", {
    nodes: cp.nodes.map((node) => ({ name: node.name, address: node.address, host: hosts.get(node.host)! })),
    size: cp.size,
    vmAccess,
    endpoint,
    virtualIp: cp.virtualIp,
    kubeVipImage: cp.kubeVipImage,
    network,
    kubernetes: kubernetesArgs(config, "linux"),
    sshMinutes: config.timeouts.sshMinutes,
  });

  const windowsWorkers = config.windowsWorkers.nodes.map(
    (node) =>
      new WindowsWorker(`windows-${node.name}`, {
        host: hosts.get(node.host)!,
        node: { name: node.name, address: node.address },
        size: config.windowsWorkers.size!,
        windowsBuild: config.windowsWorkers.windowsBuild as WindowsBuildName,
        adminPassword: secrets.windowsAdminPassword,
        vmAccess: { sshPublicKey: access.sshPublicKey, privateKey: secrets.vmSshPrivateKey },
        network,
        kubernetes: kubernetesArgs(config, "windows"),
        controlPlane: { endpoint, connection: controlPlane.firstNode, dependsOn: [controlPlane.ready] },
        timeouts: { sshMinutes: config.timeouts.sshMinutes, windowsPrepareMinutes: config.timeouts.windowsPrepareMinutes },
      }),
  );

  const mongoNode = config.linuxWorkers.nodes[0] ?? cp.nodes[0]!;
  const linuxWorkers = config.linuxWorkers.nodes.map(
    (node) =>
      new LinuxWorker(`linux-${node.name}`, {
        node: { name: node.name, address: node.address, host: hosts.get(node.host)! },
        size: config.linuxWorkers.size!,
        vmAccess,
        controlPlane,
        network,
        kubernetes: kubernetesArgs(config, "linux"),
        labels: node.name === mongoNode.name ? { "opentwin.io/role": "mongodb" } : undefined,
        sshMinutes: config.timeouts.sshMinutes,
      }),
  );

  // The local PersistentVolume needs its folder on the node MongoDB is pinned to.
  const mongoWorker = linuxWorkers.find((w) => w.nodeName === mongoNode.name);
  const mongoDataDir = remoteStep(
    "mongodb-data-directory",
    {
      connection: sshConnection({ host: mongoNode.address, port: 22, user: access.user, privateKey: secrets.vmSshPrivateKey }, { minutes: config.timeouts.sshMinutes }),
      create: sudoBash(mongoDataDirectoryScript(config.mongodb.localPath), "mongodb-data-directory"),
    },
    { parent: mongoWorker ?? controlPlane, dependsOn: [mongoWorker?.ready ?? controlPlane.ready] },
  );

  const provider = new k8s.Provider("cluster", { kubeconfig: controlPlane.kubeconfig, enableServerSideApply: true }, { dependsOn: [controlPlane.ready] });
  return {
    provider,
    endpoint,
    nodesReady: [...windowsWorkers.map((w) => w.ready), ...linuxWorkers.map((w) => w.ready), mongoDataDir],
    mongoPlacement: { nodeName: mongoNode.name, onControlPlane: config.linuxWorkers.nodes.length === 0 },
  };
}

/** Idempotent: install -d leaves an existing folder and its content alone. uid 999 is the mongo image's user. */
export function mongoDataDirectoryScript(path: string): string {
  return renderBashScript({
    title: "mongodb-data-directory",
    description: ["Creates the folder of MongoDB's local PersistentVolume, owned by the mongo image's user."],
    constants: [["DATA_DIR", path]],
    steps: [{ name: "create_data_directory", body: 'install -d -m 0700 -o 999 -g 999 "${ROOT}${DATA_DIR}"' }],
  });
}
