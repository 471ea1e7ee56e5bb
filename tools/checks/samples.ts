/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML/JSON documents (stack files, manifests, OpenAPI schemas) are untyped data here. */
/**
 * Until every script reaches the offline render, the host checks also render each host file
 * through the renderers' pure functions with the values of a stack (the mapping from stack to
 * arguments below is this tier's own, written from the stack schema, not the program's).
 * Files that travel on stdin (user-data, unattend.xml) never appear decoded in the render, so
 * these samples are how the checks see them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadStack, type LoadedStack } from "../../infra/config/load";
import { placedNodes } from "../../infra/config/rules";
import { artifactsFor } from "../../components/lib/artifacts";
import { pauseImageFor } from "../../components/lib/catalog";
import { cidrPrefixLength } from "./net";
import { renderUserData, renderNetworkConfig, renderMetaData } from "../../components/scripts/cloudInit";
import { renderInitConfiguration, renderJoinConfiguration } from "../../components/scripts/kubeadm";
import { renderPrepareNode } from "../../components/scripts/debian/prepareNode";
import { renderKubeadmInit, renderKubeadmJoin } from "../../components/scripts/debian/kubeadmScripts";
import { renderCreateVmBody, renderDeleteVmBody } from "../../components/hyperv/scripts";
import { psScript } from "../../components/scripts/powershell";
import { renderUnattend } from "../../components/scripts/unattend";
import { projectKeys, readStackFile, stackFileSource } from "../render/stackFile";

export interface Sample {
  readonly name: string;
  readonly text: string;
}

export function loadStackFrom(stacksDir: string, stack: string): LoadedStack {
  return loadStack(stackFileSource(readStackFile(stacksDir, stack)), { allowMissingSecrets: true });
}

/** The raw `config:` of a stack file with the `opentwin:` prefix removed (what a user wrote). */
export function rawStack(stacksDir: string, stack: string): Record<string, any> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require("yaml") as typeof import("yaml");
  const document = parse(readFileSync(join(stacksDir, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return projectKeys(document.config);
}


export function debianNodes(stack: LoadedStack): { name: string; address: string; role: "controlPlane" | "linuxWorker" }[] {
  return placedNodes(stack.config)
    .filter((p: any) => p.role !== "windowsWorker")
    .map((p: any) => ({ name: p.node.name, address: p.node.address, role: p.role }));
}

export function cloudInitSamples(stack: LoadedStack): { node: string; address: string; userData: string; networkConfig: string; metaData: string }[] {
  const c = stack.config as any;
  return debianNodes(stack).map((node) => ({
    node: node.name,
    address: node.address,
    userData: renderUserData({ hostname: node.name, user: c.vmAccess.user, sshPublicKey: c.vmAccess.sshPublicKey }),
    metaData: renderMetaData(node.name),
    networkConfig: renderNetworkConfig({
      address: node.address,
      prefixLength: cidrPrefixLength(c.network.nodeCidr),
      gateway: c.network.gateway,
      dnsServers: c.network.dnsServers,
    }),
  }));
}

export function kubeadmSamples(stack: LoadedStack): Sample[] {
  const c = stack.config as any;
  const controlPlanes = debianNodes(stack).filter((n) => n.role === "controlPlane");
  const first = controlPlanes[0]!;
  const endpoint = { host: c.controlPlane.virtualIp ?? first.address, port: 6443 };
  const cluster = {
    kubernetesVersion: c.kubernetes.version,
    endpoint,
    controlPlaneNodes: controlPlanes.map((n) => ({ name: n.name, address: n.address })),
    ...(c.controlPlane.virtualIp === undefined ? {} : { virtualIp: c.controlPlane.virtualIp }),
    network: { podCidr: c.network.podCidr, serviceCidr: c.network.serviceCidr, clusterDomain: c.network.clusterDomain ?? "cluster.local" },
  };
  const samples: Sample[] = [{ name: `init-${first.name}`, text: renderInitConfiguration({ ...cluster, node: first }) }];
  const worker = debianNodes(stack).find((n) => n.role === "linuxWorker") ?? { name: "sample-worker", address: first.address };
  samples.push({ name: `join-worker-${worker.name}`, text: renderJoinConfiguration({ kubernetesVersion: c.kubernetes.version, endpoint, node: worker }) });
  const second = controlPlanes[1] ?? { name: "sample-cp2", address: first.address };
  samples.push({
    name: `join-control-plane-${second.name}`,
    text: renderJoinConfiguration({ kubernetesVersion: c.kubernetes.version, endpoint, node: second, controlPlane: { bindPort: 6443 } }),
  });
  return samples;
}

export function prepareNodeSample(stack: LoadedStack, containerdVersion?: string): Sample {
  const c = stack.config as any;
  const versions = {
    kubernetes: c.kubernetes.version,
    containerd: containerdVersion ?? c.kubernetes.containerdVersion,
    runc: c.kubernetes.runcVersion,
    cniPlugins: c.kubernetes.cniPluginsVersion,
    crictl: c.kubernetes.crictlVersion,
  };
  const artifacts = artifactsFor("linux", versions, c.kubernetes.downloads.mirror).map((a) => ({
    name: a.name,
    url: a.url,
    checksum: c.kubernetes.downloads.checksums[a.checksumKey] ?? `sha256:${"0".repeat(64)}`,
  }));
  const text = renderPrepareNode({ kubernetesVersion: versions.kubernetes, containerdVersion: versions.containerd, pauseImage: pauseImageFor(versions.kubernetes), artifacts });
  return { name: `prepare-node-containerd-${versions.containerd}`, text };
}

export function kubeadmScriptSamples(stack: LoadedStack): Sample[] {
  const [init, joinWorker, joinControlPlane] = kubeadmSamples(stack);
  return [
    { name: "kubeadm-init", text: renderKubeadmInit({ initConfiguration: init!.text, uploadCerts: false }) },
    { name: "kubeadm-join-worker", text: renderKubeadmJoin({ joinConfiguration: joinWorker!.text, controlPlane: false }) },
    { name: "kubeadm-join-control-plane", text: renderKubeadmJoin({ joinConfiguration: joinControlPlane!.text, controlPlane: true }) },
  ];
}

/** Hyper-V host scripts for every VM of the stack, framed as they are sent. */
export function hypervSamples(stack: LoadedStack): Sample[] {
  const c = stack.config as any;
  const samples: Sample[] = [];
  for (const placed of placedNodes(stack.config) as any[]) {
    const host = c.hosts.find((h: any) => h.name === placed.node.host);
    const os = placed.role === "windowsWorker" ? "windows" : "debian";
    const size = placed.role === "windowsWorker" ? c.windowsWorkers.size : placed.role === "linuxWorker" ? c.linuxWorkers.size : c.controlPlane.size;
    const args = { vmName: placed.node.name, vmPath: host.vmPath, switchName: host.switchName, baseDisk: host.baseDisks[os], os, ...size, withSetupScript: os === "windows" };
    samples.push({ name: `${placed.node.name}-create-vm`, text: psScript(`${placed.node.name}-create-vm`, renderCreateVmBody(args), { readsStdin: true }) });
    samples.push({ name: `${placed.node.name}-delete-vm`, text: psScript(`${placed.node.name}-delete-vm`, renderDeleteVmBody(args)) });
  }
  return samples;
}

export function unattendSamples(stack: LoadedStack): { node: string; xml: string }[] {
  return (placedNodes(stack.config) as any[])
    .filter((p) => p.role === "windowsWorker")
    .map((p) => ({ node: p.node.name, xml: renderUnattend({ computerName: p.node.name, adminPassword: "[secret]" }) }));
}
