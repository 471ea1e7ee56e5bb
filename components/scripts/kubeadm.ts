/**
 * kubeadm configuration files (InitConfiguration + ClusterConfiguration + KubeletConfiguration, and
 * JoinConfiguration), in the config API of the Kubernetes minor: v1beta3 before 1.31 (extraArgs as
 * maps), v1beta4 from 1.31 (extraArgs as lists of {name, value}). No token or certificate key is
 * ever rendered: joins carry the well-formed placeholders of JOIN_PLACEHOLDERS, which the join script
 * replaces with the values it reads from stdin, in a 0600 file it deletes afterwards.
 */
import { stringify } from "yaml";
import { KUBERNETES_MINORS, kubernetesMinorOf } from "../lib/catalog";

export const CRI_SOCKET = "unix:///run/containerd/containerd.sock";

/**
 * Stand-ins for the join secrets: valid in form (so `kubeadm config validate` accepts the file),
 * obviously not real, and distinct from each other so each is replaced on its own.
 */
export const JOIN_PLACEHOLDERS = {
  token: "000000.0000000000000000",
  caCertHash: `sha256:${"0".repeat(64)}`,
  certificateKey: "f".repeat(64),
} as const;

export interface KubeadmNode {
  /** Node name (host name of the VM). */
  readonly name: string;
  /** The node's fixed IPv4 address (kubelet node-ip, API server advertise address). */
  readonly address: string;
}

export interface KubeadmClusterArgs {
  /** Kubernetes version, e.g. 1.34.4; its minor picks the config API. */
  readonly kubernetesVersion: string;
  /** Address and port every node uses to reach the API server (the VIP, or node 1's address). */
  readonly endpoint: { readonly host: string; readonly port: number };
  /** Every control-plane node (their names and addresses go into the API server certificate). */
  readonly controlPlaneNodes: readonly KubeadmNode[];
  /** kube-vip's virtual IP, when there is one. */
  readonly virtualIp?: string;
  readonly network: { readonly podCidr: string; readonly serviceCidr: string; readonly clusterDomain: string };
}

export interface KubeadmInitArgs extends KubeadmClusterArgs {
  /** The node kubeadm init runs on. */
  readonly node: KubeadmNode;
}

export interface KubeadmJoinArgs {
  readonly kubernetesVersion: string;
  readonly endpoint: { readonly host: string; readonly port: number };
  readonly node: KubeadmNode;
  /** Present for a control-plane join: the port the node's own API server binds. */
  readonly controlPlane?: { readonly bindPort: number };
  /** Preflight checks to downgrade to warnings (default none). */
  readonly ignorePreflightErrors?: readonly string[];
}

/** The kubeadm config API (`kubeadm.k8s.io/v1beta3|4`) of a Kubernetes version; throws for an unknown minor. */
export function kubeadmApiVersion(kubernetesVersion: string): string {
  const minor = kubernetesMinorOf(kubernetesVersion);
  if (minor === undefined) {
    throw new Error(`Kubernetes version '${kubernetesVersion}' is not in the catalog (known minors: ${Object.keys(KUBERNETES_MINORS).join(", ")})`);
  }
  return KUBERNETES_MINORS[minor].kubeadmApi;
}

/** extraArgs in the shape of the API version: a map (v1beta3) or a list of {name, value} (v1beta4). */
export function extraArgs(apiVersion: string, args: Readonly<Record<string, string>>): Record<string, string> | { name: string; value: string }[] {
  if (apiVersion.endsWith("/v1beta3")) return { ...args };
  return Object.entries(args).map(([name, value]) => ({ name, value }));
}

/** Subject alternative names of the API server: the VIP, the endpoint host, every control-plane address and name. */
export function apiServerCertSans(args: Pick<KubeadmClusterArgs, "endpoint" | "controlPlaneNodes" | "virtualIp">): string[] {
  const sans = [
    ...(args.virtualIp === undefined ? [] : [args.virtualIp]),
    args.endpoint.host,
    ...args.controlPlaneNodes.flatMap((node) => [node.address, node.name]),
  ];
  return [...new Set(sans)];
}

function endpointText(endpoint: { host: string; port: number }): string {
  return `${endpoint.host}:${endpoint.port}`;
}

function versionTag(version: string): string {
  return version.startsWith("v") ? version : `v${version}`;
}

function nodeRegistration(apiVersion: string, node: KubeadmNode, ignorePreflightErrors: readonly string[] = []): Record<string, unknown> {
  return {
    name: node.name,
    criSocket: CRI_SOCKET,
    kubeletExtraArgs: extraArgs(apiVersion, { "node-ip": node.address }),
    ...(ignorePreflightErrors.length > 0 ? { ignorePreflightErrors: [...ignorePreflightErrors] } : {}),
  };
}

function documents(docs: Record<string, unknown>[]): string {
  return docs.map((doc) => stringify(doc, { lineWidth: 0 })).join("---\n");
}

const KUBELET_CONFIGURATION = {
  apiVersion: "kubelet.config.k8s.io/v1beta1",
  kind: "KubeletConfiguration",
  cgroupDriver: "systemd",
};

/** The file for `kubeadm init --config`: InitConfiguration, ClusterConfiguration, KubeletConfiguration. */
export function renderInitConfiguration(args: KubeadmInitArgs): string {
  const apiVersion = kubeadmApiVersion(args.kubernetesVersion);
  return documents([
    {
      apiVersion,
      kind: "InitConfiguration",
      localAPIEndpoint: { advertiseAddress: args.node.address, bindPort: args.endpoint.port },
      nodeRegistration: nodeRegistration(apiVersion, args.node),
    },
    {
      apiVersion,
      kind: "ClusterConfiguration",
      kubernetesVersion: versionTag(args.kubernetesVersion),
      controlPlaneEndpoint: endpointText(args.endpoint),
      networking: {
        podSubnet: args.network.podCidr,
        serviceSubnet: args.network.serviceCidr,
        dnsDomain: args.network.clusterDomain,
      },
      apiServer: { certSANs: apiServerCertSans(args) },
    },
    KUBELET_CONFIGURATION,
  ]);
}

/** The file for `kubeadm join --config`, with JOIN_PLACEHOLDERS where the token, CA hash and certificate key go. */
export function renderJoinConfiguration(args: KubeadmJoinArgs): string {
  const apiVersion = kubeadmApiVersion(args.kubernetesVersion);
  return documents([
    {
      apiVersion,
      kind: "JoinConfiguration",
      discovery: {
        bootstrapToken: {
          apiServerEndpoint: endpointText(args.endpoint),
          token: JOIN_PLACEHOLDERS.token,
          caCertHashes: [JOIN_PLACEHOLDERS.caCertHash],
        },
      },
      nodeRegistration: nodeRegistration(apiVersion, args.node, args.ignorePreflightErrors),
      ...(args.controlPlane === undefined
        ? {}
        : {
            controlPlane: {
              localAPIEndpoint: { advertiseAddress: args.node.address, bindPort: args.controlPlane.bindPort },
              certificateKey: JOIN_PLACEHOLDERS.certificateKey,
            },
          }),
    },
  ]);
}
