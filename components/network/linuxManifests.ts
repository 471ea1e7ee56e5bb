/** Namespace, RBAC, configuration and the Linux DaemonSet of Flannel (after upstream kube-flannel.yml). Pure. */
import type * as k8s from "@pulumi/kubernetes";
import { renderLinuxCniConf, renderNetConf } from "./cniConfig";
import { NAMES, type FlannelValues } from "./types";

type Namespace = k8s.types.input.core.v1.Namespace;
type ServiceAccount = k8s.types.input.core.v1.ServiceAccount;
type ClusterRole = k8s.types.input.rbac.v1.ClusterRole;
type ClusterRoleBinding = k8s.types.input.rbac.v1.ClusterRoleBinding;
type ConfigMap = k8s.types.input.core.v1.ConfigMap;
type DaemonSet = k8s.types.input.apps.v1.DaemonSet;

export const TIMEOUT_ANNOTATION = "pulumi.com/timeoutSeconds";

export function flannelLabels(app: string): Record<string, string> {
  return { app, tier: "node", "app.kubernetes.io/part-of": "opentwin-network" };
}

export function namespaceManifest(): Namespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: NAMES.namespace,
      labels: {
        "pod-security.kubernetes.io/enforce": "privileged",
        "app.kubernetes.io/part-of": "opentwin-network",
      },
    },
  };
}

export function serviceAccountManifest(name: string): ServiceAccount {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: NAMES.namespace } };
}

export function clusterRoleManifest(): ClusterRole {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: NAMES.clusterRole },
    rules: [
      { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
      { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["nodes/status"], verbs: ["patch"] },
    ],
  };
}

export function clusterRoleBindingManifest(name: string, clusterRole: string, serviceAccount: string): ClusterRoleBinding {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
    subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace: NAMES.namespace }],
  };
}

/** kube-flannel-cfg: read by the Linux and the Windows flanneld. */
export function flannelConfigMapManifest(values: FlannelValues): ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: NAMES.configMap, namespace: NAMES.namespace, labels: flannelLabels("flannel") },
    data: {
      "cni-conf.json": renderLinuxCniConf(),
      "net-conf.json": renderNetConf(values),
    },
  };
}

const podEnv = [
  { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
  { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
];

export function linuxDaemonSetManifest(values: FlannelValues): DaemonSet {
  const labels = flannelLabels("flannel");
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: {
      name: NAMES.linuxDaemonSet,
      namespace: NAMES.namespace,
      labels,
      annotations: { [TIMEOUT_ANNOTATION]: String(values.timeoutSeconds.linux) },
    },
    spec: {
      selector: { matchLabels: { app: "flannel" } },
      updateStrategy: { type: "RollingUpdate" },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: { "kubernetes.io/os": "linux" },
          hostNetwork: true,
          priorityClassName: "system-node-critical",
          serviceAccountName: NAMES.serviceAccount,
          tolerations: [
            { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
            { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" },
            { key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" },
            { key: "CriticalAddonsOnly", operator: "Exists" },
          ],
          initContainers: [
            {
              name: "install-cni-plugin",
              image: values.images.cniPlugin,
              command: ["cp"],
              args: ["-f", "/flannel", "/opt/cni/bin/flannel"],
              volumeMounts: [{ name: "cni-plugin", mountPath: "/opt/cni/bin" }],
            },
            {
              name: "install-cni",
              image: values.images.flannel,
              command: ["cp"],
              args: ["-f", "/etc/kube-flannel/cni-conf.json", "/etc/cni/net.d/10-flannel.conflist"],
              volumeMounts: [
                { name: "cni", mountPath: "/etc/cni/net.d" },
                { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
              ],
            },
          ],
          containers: [
            {
              name: "kube-flannel",
              image: values.images.flannel,
              command: ["/opt/bin/flanneld"],
              args: ["--ip-masq", "--kube-subnet-mgr"],
              resources: { requests: { cpu: "100m", memory: "50Mi" } },
              // Upstream's choice: not privileged, only the network capabilities flanneld needs.
              securityContext: { privileged: false, capabilities: { add: ["NET_ADMIN", "NET_RAW"] } },
              env: [
                ...podEnv,
                { name: "EVENT_QUEUE_DEPTH", value: "5000" },
                { name: "CONT_WHEN_CACHE_NOT_READY", value: "false" },
              ],
              volumeMounts: [
                { name: "run", mountPath: "/run/flannel" },
                { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
                { name: "xtables-lock", mountPath: "/run/xtables.lock" },
              ],
            },
          ],
          volumes: [
            { name: "run", hostPath: { path: "/run/flannel" } },
            { name: "cni-plugin", hostPath: { path: "/opt/cni/bin" } },
            { name: "cni", hostPath: { path: "/etc/cni/net.d" } },
            { name: "flannel-cfg", configMap: { name: NAMES.configMap } },
            { name: "xtables-lock", hostPath: { path: "/run/xtables.lock", type: "FileOrCreate" } },
          ],
        },
      },
    },
  };
}

export { podEnv };
