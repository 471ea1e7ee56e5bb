/**
 * Namespace, RuntimeClass and the placement every pod gets. Windows pods carry spec.os.name, their own
 * nodeSelector (os + exact build) and the toleration themselves, and name the RuntimeClass as well, so
 * selection never depends on the RuntimeClass alone.
 */
import type * as k8s from "@pulumi/kubernetes";
import { type WindowsBuildName, windowsBuildNumber } from "../lib/catalog";

type Namespace = k8s.types.input.core.v1.Namespace;
type RuntimeClass = k8s.types.input.node.v1.RuntimeClass;
type Toleration = k8s.types.input.core.v1.Toleration;

export const WINDOWS_BUILD_LABEL = "node.kubernetes.io/windows-build";
export const WINDOWS_TOLERATION: Toleration = { key: "os", operator: "Equal", value: "windows", effect: "NoSchedule" };
export const CONTROL_PLANE_TOLERATION: Toleration = { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" };

/** Pod Security "baseline": no OpenTwin or MongoDB pod is privileged, HostProcess or on the host network. */
export function namespaceManifest(name: string): Namespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        "app.kubernetes.io/part-of": "opentwin",
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/enforce-version": "latest",
      },
    },
  };
}

export function runtimeClassName(build: WindowsBuildName): string {
  return `windows-${build}`;
}

export function windowsNodeSelector(build: WindowsBuildName): Record<string, string> {
  return { "kubernetes.io/os": "windows", "kubernetes.io/arch": "amd64", [WINDOWS_BUILD_LABEL]: windowsBuildNumber(build) };
}

/** Process-isolated Windows containers of one build (containerd's runhcs-wcow-process handler). */
export function runtimeClassManifest(build: WindowsBuildName): RuntimeClass {
  return {
    apiVersion: "node.k8s.io/v1",
    kind: "RuntimeClass",
    metadata: { name: runtimeClassName(build), labels: { "app.kubernetes.io/part-of": "opentwin" } },
    handler: "runhcs-wcow-process",
    scheduling: { nodeSelector: windowsNodeSelector(build), tolerations: [WINDOWS_TOLERATION] },
  };
}

/** The pod-spec fields that pin a pod to Windows nodes of `build`. */
export function windowsPodPlacement(build: WindowsBuildName) {
  return {
    runtimeClassName: runtimeClassName(build),
    os: { name: "windows" },
    nodeSelector: windowsNodeSelector(build),
    tolerations: [WINDOWS_TOLERATION],
  };
}

/** The pod-spec fields that pin a pod to one Linux node (tolerating the control-plane taint when asked). */
export function linuxPodPlacement(nodeName: string, onControlPlane: boolean) {
  return {
    os: { name: "linux" },
    nodeSelector: { "kubernetes.io/os": "linux", "kubernetes.io/hostname": nodeName },
    tolerations: onControlPlane ? [CONTROL_PLANE_TOLERATION] : [],
  };
}
