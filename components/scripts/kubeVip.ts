/**
 * kube-vip as a static pod on every control-plane node: ARP mode, the control-plane VIP, leader
 * election through a Lease. Since kubeadm 1.29, admin.conf only gains its rights at the end of
 * `kubeadm init`, so on the first node during init kube-vip must use super-admin.conf
 * (kube-vip/kube-vip#684); the init script switches the manifest back to admin.conf afterwards.
 */
import { stringify } from "yaml";

export const KUBE_VIP_MANIFEST_PATH = "/etc/kubernetes/manifests/kube-vip.yaml";
export const ADMIN_CONF = "/etc/kubernetes/admin.conf";
export const SUPER_ADMIN_CONF = "/etc/kubernetes/super-admin.conf";

export interface KubeVipArgs {
  /** The virtual IP announced for the API server. */
  readonly virtualIp: string;
  /** API server port behind the VIP. */
  readonly port: number;
  /** kube-vip image, pinned (e.g. ghcr.io/kube-vip/kube-vip:v0.9.2). */
  readonly image: string;
  /** Network interface carrying the VIP; default: kube-vip picks the interface of the default route. */
  readonly interface?: string;
  /** Kubeconfig kube-vip uses on the host; default ADMIN_CONF (SUPER_ADMIN_CONF on the first node during init). */
  readonly kubeconfig?: typeof ADMIN_CONF | typeof SUPER_ADMIN_CONF;
}

export function renderKubeVipManifest(args: KubeVipArgs): string {
  const kubeconfig = args.kubeconfig ?? ADMIN_CONF;
  const env: { name: string; value: string }[] = [
    { name: "vip_arp", value: "true" },
    { name: "port", value: String(args.port) },
    ...(args.interface === undefined ? [] : [{ name: "vip_interface", value: args.interface }]),
    { name: "vip_subnet", value: "32" },
    { name: "dns_mode", value: "first" },
    { name: "cp_enable", value: "true" },
    { name: "cp_namespace", value: "kube-system" },
    { name: "svc_enable", value: "false" },
    { name: "vip_leaderelection", value: "true" },
    { name: "vip_leasename", value: "plndr-cp-lock" },
    { name: "vip_leaseduration", value: "5" },
    { name: "vip_renewdeadline", value: "3" },
    { name: "vip_retryperiod", value: "1" },
    { name: "address", value: args.virtualIp },
  ];
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "kube-vip", namespace: "kube-system" },
    spec: {
      containers: [
        {
          name: "kube-vip",
          image: args.image,
          imagePullPolicy: "IfNotPresent",
          args: ["manager"],
          env,
          securityContext: { capabilities: { add: ["NET_ADMIN", "NET_RAW"] } },
          volumeMounts: [{ name: "kubeconfig", mountPath: ADMIN_CONF }],
        },
      ],
      hostAliases: [{ ip: "127.0.0.1", hostnames: ["kubernetes"] }],
      hostNetwork: true,
      volumes: [{ name: "kubeconfig", hostPath: { path: kubeconfig } }],
    },
  };
  return stringify(pod, { lineWidth: 0 });
}
