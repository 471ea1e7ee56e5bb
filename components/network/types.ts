/** Values the Flannel manifests are built from, and the names of the objects they produce. */
import type { WindowsBuildName } from "../lib/catalog";

/** Images the networking DaemonSets run. All pinned by the stack. */
export interface FlannelImages {
  /** Linux flanneld (upstream ghcr.io/flannel-io/flannel). */
  readonly flannel: string;
  /** Linux flannel CNI plugin (upstream ghcr.io/flannel-io/flannel-cni-plugin). */
  readonly cniPlugin: string;
  /** The project's Windows HostProcess image with flanneld.exe and the Windows CNI plugins (images/windows-networking/flanneld). */
  readonly windowsFlanneld: string;
  /** The project's Windows HostProcess image with kube-proxy.exe (images/windows-networking/kube-proxy). */
  readonly windowsKubeProxy: string;
}

/** Plain values (no Outputs): manifests are rendered from these by pure functions. */
export interface FlannelValues {
  /** Cluster pod network, e.g. "10.244.0.0/16"; written verbatim into net-conf.json. */
  readonly podCidr: string;
  /** Service network, e.g. "10.96.0.0/12"; OutBoundNAT exception and encapsulated route on Windows. */
  readonly serviceCidr: string;
  /** VXLAN network identifier; Windows needs >= 4096. */
  readonly vni: number;
  /** VXLAN UDP port; Windows needs 4789. */
  readonly port: number;
  readonly images: FlannelImages;
  /** Control-plane endpoint the Windows daemons use before the overlay (and the kubernetes Service) works. */
  readonly apiServer: { readonly host: string; readonly port: number };
  /** Windows DaemonSets are rendered only when enabled; they select exactly this build. */
  readonly windows: { readonly enabled: boolean; readonly build: WindowsBuildName };
  /** Kubernetes version of the cluster (e.g. "1.34.4"); the Windows kube-proxy image tag must name it. */
  readonly kubernetesVersion: string;
  /** How long Pulumi waits for a DaemonSet rollout, written as pulumi.com/timeoutSeconds. */
  readonly timeoutSeconds: { readonly linux: number; readonly windows: number };
}

/** Fixed object names: stable URNs and object names, no dependence on the component's name. */
export const NAMES = {
  namespace: "kube-flannel",
  serviceAccount: "flannel",
  clusterRole: "flannel",
  clusterRoleBinding: "flannel",
  configMap: "kube-flannel-cfg",
  linuxDaemonSet: "kube-flannel-ds",
  windowsConfigMap: "kube-flannel-windows-cfg",
  windowsDaemonSet: "kube-flannel-ds-windows",
  kubeProxyServiceAccount: "kube-proxy-windows",
  kubeProxyClusterRoleBinding: "kube-proxy-windows",
  kubeProxyConfigMap: "kube-proxy-windows-cfg",
  kubeProxyDaemonSet: "kube-proxy-windows",
} as const;

/** Name of the HNS network (and CNI network) flanneld creates on Windows for a VNI. */
export function windowsNetworkName(vni: number): string {
  return `flannel.${vni}`;
}

/** Where the ConfigMap volumes are mounted inside the Windows HostProcess containers. */
export const WINDOWS_MOUNTS = {
  netConf: "/opentwin/flannel/net-conf",
  flannelScripts: "/opentwin/flannel/windows",
  kubeProxyScripts: "/opentwin/kube-proxy",
  serviceAccount: "/var/run/secrets/kubernetes.io/serviceaccount",
} as const;

/** Host folders the Windows scripts write to (the paths containerd's CNI setup uses). */
export const WINDOWS_HOST_PATHS = {
  cniBin: "C:\\opt\\cni\\bin",
  cniConf: "C:\\etc\\cni\\net.d\\10-flannel.conf",
  flannelDir: "C:\\etc\\kube-flannel-windows",
  kubeProxyDir: "C:\\var\\lib\\kube-proxy-windows",
} as const;

/** Where the project's Windows images keep their files (see images/windows-networking). */
export const IMAGE_PATHS = {
  flanneldExe: "flannel\\flanneld.exe",
  cniDir: "cni",
  hnsModule: "hns\\hns.psm1",
  kubeProxyExe: "kube-proxy\\kube-proxy.exe",
} as const;
