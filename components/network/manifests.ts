/** Every Kubernetes object Flannel consists of, in apply order, each with its role name. Pure. */
import type * as k8s from "@pulumi/kubernetes";
import {
  clusterRoleBindingManifest,
  clusterRoleManifest,
  flannelConfigMapManifest,
  linuxDaemonSetManifest,
  namespaceManifest,
  serviceAccountManifest,
} from "./linuxManifests";
import { NAMES, type FlannelValues } from "./types";
import {
  NODE_PROXIER_CLUSTER_ROLE,
  kubeProxyConfigMapManifest,
  kubeProxyDaemonSetManifest,
  windowsFlannelConfigMapManifest,
  windowsFlannelDaemonSetManifest,
} from "./windowsManifests";

export type FlannelManifest =
  | { role: string; kind: "Namespace"; object: k8s.types.input.core.v1.Namespace }
  | { role: string; kind: "ServiceAccount"; object: k8s.types.input.core.v1.ServiceAccount }
  | { role: string; kind: "ClusterRole"; object: k8s.types.input.rbac.v1.ClusterRole }
  | { role: string; kind: "ClusterRoleBinding"; object: k8s.types.input.rbac.v1.ClusterRoleBinding }
  | { role: string; kind: "ConfigMap"; object: k8s.types.input.core.v1.ConfigMap }
  | { role: string; kind: "DaemonSet"; object: k8s.types.input.apps.v1.DaemonSet };

/** The objects for these values; the Windows ones only when Windows is enabled. */
export function flannelManifests(values: FlannelValues): FlannelManifest[] {
  const manifests: FlannelManifest[] = [
    { role: "namespace", kind: "Namespace", object: namespaceManifest() },
    { role: "service-account", kind: "ServiceAccount", object: serviceAccountManifest(NAMES.serviceAccount) },
    { role: "cluster-role", kind: "ClusterRole", object: clusterRoleManifest() },
    {
      role: "cluster-role-binding",
      kind: "ClusterRoleBinding",
      object: clusterRoleBindingManifest(NAMES.clusterRoleBinding, NAMES.clusterRole, NAMES.serviceAccount),
    },
    { role: "config", kind: "ConfigMap", object: flannelConfigMapManifest(values) },
    { role: "linux", kind: "DaemonSet", object: linuxDaemonSetManifest(values) },
  ];
  if (!values.windows.enabled) return manifests;
  return [
    ...manifests,
    { role: "windows-config", kind: "ConfigMap", object: windowsFlannelConfigMapManifest(values) },
    { role: "windows", kind: "DaemonSet", object: windowsFlannelDaemonSetManifest(values) },
    {
      role: "kube-proxy-service-account",
      kind: "ServiceAccount",
      object: serviceAccountManifest(NAMES.kubeProxyServiceAccount),
    },
    {
      role: "kube-proxy-cluster-role-binding",
      kind: "ClusterRoleBinding",
      object: clusterRoleBindingManifest(NAMES.kubeProxyClusterRoleBinding, NODE_PROXIER_CLUSTER_ROLE, NAMES.kubeProxyServiceAccount),
    },
    { role: "kube-proxy-config", kind: "ConfigMap", object: kubeProxyConfigMapManifest(values) },
    { role: "kube-proxy", kind: "DaemonSet", object: kubeProxyDaemonSetManifest(values) },
  ];
}
