/**
 * Services that publish the OpenTwin services at publicHost: ClusterIP with externalIPs, port == targetPort ==
 * the advertised port (OpenTwin binds the port of its own URL). Each LDS instance gets its own Service with
 * its port window; a headless `lds` Service governs the LDS StatefulSets. PodDisruptionBudgets keep one AUTH
 * and one LDS up while nodes are drained.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { OpenTwinServiceName } from "../lib/catalog";
import { LDS_INSTANCE_LABEL, commonLabels, kubernetesServiceName, selectorLabels } from "./constants";
import type { LdsInstance } from "./endpoints";
import { LDS_GOVERNING_SERVICE } from "./workloads";

type Service = k8s.types.input.core.v1.Service;

function tcp(name: string, port: number) {
  return { name, port, targetPort: port, protocol: "TCP" };
}

function published(name: string, namespace: string, component: string, selector: Record<string, string>, ports: ReturnType<typeof tcp>[], externalIPs: readonly string[]): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace, labels: commonLabels(component) },
    spec: {
      type: "ClusterIP",
      selector,
      ports,
      ...(externalIPs.length > 0 ? { externalIPs: [...externalIPs] } : {}),
    },
  };
}

export function serviceManifest(service: Exclude<OpenTwinServiceName, "lds">, namespace: string, port: number, externalIPs: readonly string[]): Service {
  return published(kubernetesServiceName(service), namespace, service, selectorLabels(service), [tcp("https", port)], externalIPs);
}

export function ldsInstanceService(instance: LdsInstance, namespace: string, externalIPs: readonly string[]): Service {
  const ports = [tcp("https", instance.port), ...instance.windowPorts.map((p, i) => tcp(`w-${i + 1}`, p))];
  const selector = { ...selectorLabels("lds"), [LDS_INSTANCE_LABEL]: String(instance.ordinal) };
  return published(instance.name, namespace, "lds", selector, ports, externalIPs);
}

export function ldsGoverningService(namespace: string): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: LDS_GOVERNING_SERVICE, namespace, labels: commonLabels("lds") },
    spec: { clusterIP: "None", selector: selectorLabels("lds"), publishNotReadyAddresses: false },
  };
}

export function podDisruptionBudget(component: "auth" | "lds", namespace: string): k8s.types.input.policy.v1.PodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: kubernetesServiceName(component), namespace, labels: commonLabels(component) },
    spec: { minAvailable: 1, selector: { matchLabels: selectorLabels(component) } },
  };
}
