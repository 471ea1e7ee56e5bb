import { pauseImageFor } from "../../../components/lib/catalog";
/** Control-plane and Linux-worker script arguments of a stack file, as infra/ will derive them. */
import { controlPlaneScripts, linuxWorkerScripts, MONGODB_ROLE_LABEL, type ControlPlaneScriptArgs, type LinuxWorkerScriptArgs } from "../../../components/cluster/debianScripts";
import { artifactsFor } from "../../../components/lib/artifacts";
import { controlPlaneEndpoint } from "../../../infra/config/derived";
import { parseStack } from "../../../infra/config/parse";
import { stackConfig } from "../../support/stacks";

export interface StackScriptArgs {
  readonly controlPlane: ControlPlaneScriptArgs;
  readonly linuxWorkers: LinuxWorkerScriptArgs[];
}

export function stackScriptArgs(stack: "dev" | "production"): StackScriptArgs {
  const parsed = parseStack(stackConfig(stack));
  if (!parsed.ok) throw new Error(`stack ${stack} does not parse: ${JSON.stringify(parsed.problems)}`);
  const c = parsed.config;
  const k = c.kubernetes;
  const artifacts = artifactsFor(
    "linux",
    { kubernetes: k.version, containerd: k.containerdVersion, runc: k.runcVersion, cniPlugins: k.cniPluginsVersion, crictl: k.crictlVersion },
    k.downloads.mirror,
  ).map((a) => ({ ...a, checksum: k.downloads.checksums[a.checksumKey]! }));
  const kubernetes = { version: k.version, pauseImage: pauseImageFor(k.version), containerdVersion: k.containerdVersion, artifacts };
  const endpoint = controlPlaneEndpoint(c)!;
  const cp = c.controlPlane!;
  return {
    controlPlane: {
      nodes: cp.nodes.map(({ name, address }) => ({ name, address })),
      endpoint,
      virtualIp: cp.virtualIp,
      kubeVipImage: cp.kubeVipImage,
      network: { podCidr: c.network.podCidr, serviceCidr: c.network.serviceCidr, clusterDomain: c.network.clusterDomain },
      kubernetes,
    },
    linuxWorkers: c.linuxWorkers.nodes.map(({ name, address }) => ({ node: { name, address }, endpoint, kubernetes, labels: MONGODB_ROLE_LABEL })),
  };
}

/** Every rendered file of a stack, by its path under test/golden. */
export function renderedFiles(stack: "dev" | "production"): Record<string, string> {
  const args = stackScriptArgs(stack);
  const cp = controlPlaneScripts(args.controlPlane);
  const files: Record<string, string> = {
    [`debian/${stack}/prepare-node.sh`]: cp.prepareNode,
    [`debian/${stack}/${args.controlPlane.nodes[0]!.name}-kubeadm-init.sh`]: cp.init,
    [`debian/${stack}/read-kubeconfig.sh`]: cp.readKubeconfig,
    [`debian/${stack}/worker-join-command.sh`]: cp.workerJoinCommand,
    [`kubeadm/${stack}/${args.controlPlane.nodes[0]!.name}-init.yaml`]: cp.initConfiguration,
  };
  if (cp.joins.length > 0) files[`debian/${stack}/control-plane-join-material.sh`] = cp.joinMaterial;
  for (const join of cp.joins) {
    files[`debian/${stack}/${join.node}-kubeadm-join.sh`] = join.script;
    files[`kubeadm/${stack}/${join.node}-join.yaml`] = join.joinConfiguration;
  }
  if (cp.kubeVip !== undefined) {
    files[`kubeadm/${stack}/kube-vip-during-init.yaml`] = cp.kubeVip.duringInit;
    files[`kubeadm/${stack}/kube-vip.yaml`] = cp.kubeVip.steady;
  }
  for (const worker of args.linuxWorkers) {
    const w = linuxWorkerScripts(worker);
    const n = worker.node.name;
    files[`kubeadm/${stack}/${n}-join.yaml`] = w.joinConfiguration;
    files[`debian/${stack}/${n}-kubeadm-join.sh`] = w.join;
    files[`debian/${stack}/${n}-label-node.sh`] = w.registered;
    files[`debian/${stack}/${n}-delete-node.sh`] = w.deleteNode;
    files[`debian/${stack}/${n}-drain-node.sh`] = w.drain;
    files[`debian/${stack}/check-joined.sh`] = w.joined;
    files[`debian/${stack}/check-control-plane.sh`] = w.controlPlaneCheck;
    files[`debian/${stack}/reset-node.sh`] = w.reset;
  }
  return files;
}
