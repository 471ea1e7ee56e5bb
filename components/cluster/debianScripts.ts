/**
 * Every script and config file a Debian control plane or Linux worker runs, computed from plain
 * values (no Pulumi), so the components only wire them to remote steps and the tests can compare
 * them with golden files.
 */
import { renderCheckControlPlane, renderControlPlaneJoinMaterial, renderDeleteNode, renderDrainNode, renderLabelNode, renderReadKubeconfig, renderResetNode, renderWorkerJoinCommand } from "../scripts/debian/clusterOps";
import { renderBashScript } from "../scripts/debian/bash";
import { KUBELET_CONF, renderKubeadmInit, renderKubeadmJoin } from "../scripts/debian/kubeadmScripts";
import { renderPrepareNode, type NodeArtifact } from "../scripts/debian/prepareNode";
import { renderInitConfiguration, renderJoinConfiguration } from "../scripts/kubeadm";
import { renderKubeVipManifest, SUPER_ADMIN_CONF } from "../scripts/kubeVip";

export interface DebianNode {
  readonly name: string;
  readonly address: string;
}

export interface DebianKubernetes {
  /** Kubernetes version, e.g. 1.34.4. */
  readonly version: string;
  /** Pause image of the kubelet, also containerd's sandbox image. */
  readonly pauseImage: string;
  readonly containerdVersion: string;
  /** Linux artifacts with their checksums. */
  readonly artifacts: readonly NodeArtifact[];
}

/** prepare-node for any Debian node: the same script on control-plane nodes and workers. */
function prepareNodeScript(kubernetes: DebianKubernetes): string {
  return renderPrepareNode({
    kubernetesVersion: kubernetes.version,
    containerdVersion: kubernetes.containerdVersion,
    pauseImage: kubernetes.pauseImage,
    artifacts: kubernetes.artifacts,
  });
}

export interface ClusterNetwork {
  readonly podCidr: string;
  readonly serviceCidr: string;
  readonly clusterDomain: string;
}

export interface ControlPlaneScriptArgs {
  /** One or three nodes; the first runs kubeadm init. */
  readonly nodes: readonly DebianNode[];
  readonly endpoint: { readonly host: string; readonly port: number };
  /** kube-vip's VIP; required with three nodes. */
  readonly virtualIp?: string;
  readonly kubeVipImage: string;
  /** Interface for the VIP; default: kube-vip detects the default route's interface. */
  readonly kubeVipInterface?: string;
  readonly network: ClusterNetwork;
  readonly kubernetes: DebianKubernetes;
}

export interface ControlPlaneScripts {
  readonly prepareNode: string;
  readonly initConfiguration: string;
  /** kubeadm init on nodes[0]. */
  readonly init: string;
  /** Per joining node (nodes[1..]): its JoinConfiguration and join script. */
  readonly joins: readonly { readonly node: string; readonly joinConfiguration: string; readonly script: string }[];
  /** kube-vip manifests (during init on node 1 / everywhere after), when there is a VIP. */
  readonly kubeVip?: { readonly duringInit: string; readonly steady: string };
  /** Secret readers on node 1. */
  readonly joinMaterial: string;
  readonly readKubeconfig: string;
  readonly workerJoinCommand: string;
}

/** Problems with control-plane arguments, all at once (empty when they are fine). */
export function controlPlaneProblems(args: Pick<ControlPlaneScriptArgs, "nodes" | "virtualIp" | "endpoint">): string[] {
  const problems: string[] = [];
  if (args.nodes.length !== 1 && args.nodes.length !== 3) problems.push(`nodes: expected 1 or 3 control-plane nodes, got ${args.nodes.length}`);
  if (args.nodes.length > 1 && args.virtualIp === undefined) problems.push("virtualIp: required with more than one control-plane node");
  if (args.virtualIp !== undefined && args.endpoint.host !== args.virtualIp) {
    problems.push(`endpoint.host: '${args.endpoint.host}' should be the virtual IP '${args.virtualIp}'`);
  }
  const names = args.nodes.map((n) => n.name);
  const addresses = args.nodes.map((n) => n.address);
  if (new Set(names).size !== names.length) problems.push(`nodes: names repeat (${names.join(", ")})`);
  if (new Set(addresses).size !== addresses.length) problems.push(`nodes: addresses repeat (${addresses.join(", ")})`);
  return problems;
}

export function controlPlaneScripts(args: ControlPlaneScriptArgs): ControlPlaneScripts {
  const problems = controlPlaneProblems(args);
  if (problems.length > 0) throw new Error(`ControlPlane: ${problems.join("; ")}`);
  const [first, ...others] = args.nodes as [DebianNode, ...DebianNode[]];
  const kubeVip =
    args.virtualIp === undefined
      ? undefined
      : (() => {
          const base = { virtualIp: args.virtualIp, port: args.endpoint.port, image: args.kubeVipImage, interface: args.kubeVipInterface };
          return { duringInit: renderKubeVipManifest({ ...base, kubeconfig: SUPER_ADMIN_CONF }), steady: renderKubeVipManifest(base) };
        })();
  const initConfiguration = renderInitConfiguration({
    kubernetesVersion: args.kubernetes.version,
    endpoint: args.endpoint,
    controlPlaneNodes: args.nodes,
    virtualIp: args.virtualIp,
    network: args.network,
    node: first,
  });
  const joins = others.map((node) => {
    const joinConfiguration = renderJoinConfiguration({
      kubernetesVersion: args.kubernetes.version,
      endpoint: args.endpoint,
      node,
      controlPlane: { bindPort: args.endpoint.port },
      // kube-vip's manifest is in place before the join; older kubeadm wanted that directory empty.
      ignorePreflightErrors: kubeVip === undefined ? [] : ["DirAvailable--etc-kubernetes-manifests"],
    });
    const script = renderKubeadmJoin({ joinConfiguration, controlPlane: true, kubeVipManifest: kubeVip?.steady });
    return { node: node.name, joinConfiguration, script };
  });
  return {
    prepareNode: prepareNodeScript(args.kubernetes),
    initConfiguration,
    init: renderKubeadmInit({
      initConfiguration,
      uploadCerts: args.nodes.length > 1,
      kubeVip: kubeVip === undefined ? undefined : { duringInit: kubeVip.duringInit, afterInit: kubeVip.steady },
    }),
    joins,
    ...(kubeVip === undefined ? {} : { kubeVip }),
    joinMaterial: renderControlPlaneJoinMaterial(),
    readKubeconfig: renderReadKubeconfig(),
    workerJoinCommand: renderWorkerJoinCommand(),
  };
}

/** Label that places MongoDB on a Linux worker. */
export const MONGODB_ROLE_LABEL: Readonly<Record<string, string>> = { "opentwin.io/role": "mongodb" };

export interface LinuxWorkerScriptArgs {
  readonly node: DebianNode;
  readonly endpoint: { readonly host: string; readonly port: number };
  readonly kubernetes: DebianKubernetes;
  /** Node labels set from the control plane; default none. */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface LinuxWorkerScripts {
  readonly prepareNode: string;
  readonly joinConfiguration: string;
  /** On the worker, join material on stdin. */
  readonly join: string;
  /** On the first control-plane node: wait for the node, label it; its delete removes the Node object. */
  readonly registered: string;
  readonly deleteNode: string;
  /** On the worker: checks it is joined; its delete resets the node. */
  readonly joined: string;
  readonly reset: string;
  /** On the first control-plane node: checks admin.conf; its delete drains the node. */
  readonly controlPlaneCheck: string;
  readonly drain: string;
}

export function linuxWorkerScripts(args: LinuxWorkerScriptArgs): LinuxWorkerScripts {
  const joinConfiguration = renderJoinConfiguration({ kubernetesVersion: args.kubernetes.version, endpoint: args.endpoint, node: args.node });
  return {
    prepareNode: prepareNodeScript(args.kubernetes),
    joinConfiguration,
    join: renderKubeadmJoin({ joinConfiguration, controlPlane: false }),
    registered: renderLabelNode(args.node.name, args.labels ?? {}),
    deleteNode: renderDeleteNode(args.node.name),
    joined: renderBashScript({
      title: "check-joined",
      description: ["Confirms that this node has joined the cluster (its kubelet.conf exists)."],
      steps: [{ name: "check_joined", body: `[ -f "\${ROOT}${KUBELET_CONF}" ] || fail "${KUBELET_CONF} is missing: the node has not joined"` }],
    }),
    reset: renderResetNode(),
    controlPlaneCheck: renderCheckControlPlane(),
    drain: renderDrainNode(args.node.name),
  };
}
