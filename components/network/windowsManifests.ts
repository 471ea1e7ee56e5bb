/**
 * Windows flanneld and kube-proxy as HostProcess DaemonSets, their script ConfigMaps and kube-proxy's
 * RBAC. The only objects of the project allowed to run as HostProcess. Pure.
 */
import type * as k8s from "@pulumi/kubernetes";
import { windowsBuildNumber } from "../lib/catalog";
import { renderWindowsCniConf } from "./cniConfig";
import { TIMEOUT_ANNOTATION, flannelLabels, podEnv } from "./linuxManifests";
import { hostProcessCommand, renderFlanneldScript, renderKubeProxyScript, renderWaitForNetworkScript } from "./scripts";
import { NAMES, WINDOWS_MOUNTS, windowsNetworkName, type FlannelValues } from "./types";

type ConfigMap = k8s.types.input.core.v1.ConfigMap;
type DaemonSet = k8s.types.input.apps.v1.DaemonSet;
type PodSpec = k8s.types.input.core.v1.PodSpec;

/** How long kube-proxy's init container waits for flanneld's HNS network before it fails (and is restarted). */
export const WAIT_FOR_NETWORK_SECONDS = 600;

/** Built-in ClusterRole with what kube-proxy needs (Kubernetes RBAC defaults). */
export const NODE_PROXIER_CLUSTER_ROLE = "system:node-proxier";

/** Placement and identity shared by both Windows DaemonSets. */
function hostProcessPodSpec(values: FlannelValues, serviceAccountName: string): PodSpec {
  return {
    os: { name: "windows" },
    nodeSelector: {
      "kubernetes.io/os": "windows",
      "node.kubernetes.io/windows-build": windowsBuildNumber(values.windows.build),
    },
    tolerations: [
      { key: "os", operator: "Equal", value: "windows", effect: "NoSchedule" },
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" },
      { key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" },
      { key: "CriticalAddonsOnly", operator: "Exists" },
    ],
    hostNetwork: true,
    priorityClassName: "system-node-critical",
    serviceAccountName,
    securityContext: { windowsOptions: { hostProcess: true, runAsUserName: "NT AUTHORITY\\SYSTEM" } },
    containers: [],
  };
}

function apiServerEnv(values: FlannelValues): { name: string; value: string }[] {
  return [
    { name: "KUBERNETES_SERVICE_HOST", value: values.apiServer.host },
    { name: "KUBERNETES_SERVICE_PORT", value: String(values.apiServer.port) },
  ];
}

const nodeNameEnv = { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } };

export function windowsFlannelConfigMapManifest(values: FlannelValues): ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: NAMES.windowsConfigMap, namespace: NAMES.namespace, labels: flannelLabels("flannel-windows") },
    data: {
      "cni-conf.json": renderWindowsCniConf(values),
      "start.ps1": renderFlanneldScript(values),
    },
  };
}

export function windowsFlannelDaemonSetManifest(values: FlannelValues): DaemonSet {
  const labels = flannelLabels("flannel-windows");
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: {
      name: NAMES.windowsDaemonSet,
      namespace: NAMES.namespace,
      labels,
      annotations: { [TIMEOUT_ANNOTATION]: String(values.timeoutSeconds.windows) },
    },
    spec: {
      selector: { matchLabels: { app: "flannel-windows" } },
      updateStrategy: { type: "RollingUpdate" },
      template: {
        metadata: { labels },
        spec: {
          ...hostProcessPodSpec(values, NAMES.serviceAccount),
          containers: [
            {
              name: "kube-flannel",
              image: values.images.windowsFlanneld,
              imagePullPolicy: "IfNotPresent",
              command: hostProcessCommand(WINDOWS_MOUNTS.flannelScripts, "start.ps1"),
              env: [
                ...apiServerEnv(values),
                nodeNameEnv,
                ...podEnv,
                { name: "HOST_IP", valueFrom: { fieldRef: { fieldPath: "status.hostIP" } } },
              ],
              volumeMounts: [
                { name: "flannel-cfg", mountPath: WINDOWS_MOUNTS.netConf },
                { name: "flannel-windows-cfg", mountPath: WINDOWS_MOUNTS.flannelScripts },
              ],
            },
          ],
          volumes: [
            { name: "flannel-cfg", configMap: { name: NAMES.configMap } },
            { name: "flannel-windows-cfg", configMap: { name: NAMES.windowsConfigMap } },
          ],
        },
      },
    },
  };
}

export function kubeProxyConfigMapManifest(values: FlannelValues): ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: NAMES.kubeProxyConfigMap, namespace: NAMES.namespace, labels: flannelLabels("kube-proxy-windows") },
    data: {
      "start.ps1": renderKubeProxyScript(values),
      "wait.ps1": renderWaitForNetworkScript({ vni: values.vni, timeoutSeconds: WAIT_FOR_NETWORK_SECONDS }),
    },
  };
}

export function kubeProxyDaemonSetManifest(values: FlannelValues): DaemonSet {
  const labels = flannelLabels("kube-proxy-windows");
  const volumeMounts = [{ name: "kube-proxy-windows-cfg", mountPath: WINDOWS_MOUNTS.kubeProxyScripts }];
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: {
      name: NAMES.kubeProxyDaemonSet,
      namespace: NAMES.namespace,
      labels,
      annotations: { [TIMEOUT_ANNOTATION]: String(values.timeoutSeconds.windows) },
    },
    spec: {
      selector: { matchLabels: { app: "kube-proxy-windows" } },
      updateStrategy: { type: "RollingUpdate" },
      template: {
        metadata: { labels },
        spec: {
          ...hostProcessPodSpec(values, NAMES.kubeProxyServiceAccount),
          initContainers: [
            {
              name: "wait-for-network",
              image: values.images.windowsKubeProxy,
              imagePullPolicy: "IfNotPresent",
              command: hostProcessCommand(WINDOWS_MOUNTS.kubeProxyScripts, "wait.ps1"),
              volumeMounts,
            },
          ],
          containers: [
            {
              name: "kube-proxy",
              image: values.images.windowsKubeProxy,
              imagePullPolicy: "IfNotPresent",
              command: hostProcessCommand(WINDOWS_MOUNTS.kubeProxyScripts, "start.ps1"),
              env: [...apiServerEnv(values), nodeNameEnv, { name: "KUBE_NETWORK", value: windowsNetworkName(values.vni) }],
              volumeMounts,
            },
          ],
          volumes: [{ name: "kube-proxy-windows-cfg", configMap: { name: NAMES.kubeProxyConfigMap } }],
        },
      },
    },
  };
}
