/** Values derived from a valid configuration, computed in one place so components never re-derive them. */
import { OPENTWIN_DEFAULT_PORTS, OPENTWIN_SERVICE_NAMES, type OpenTwinServiceName } from "../../components/lib/catalog";
import { ldsInstances } from "../../components/opentwin/endpoints";
import { keyOf } from "./problems";
import type { StackConfig } from "./schema";

export function servicePort(config: Pick<StackConfig, "opentwin">, service: OpenTwinServiceName): number {
  return config.opentwin.services[service].port ?? OPENTWIN_DEFAULT_PORTS[service];
}

export function serviceReplicas(config: Pick<StackConfig, "opentwin">, service: OpenTwinServiceName): number {
  return config.opentwin.services[service].replicas ?? 1;
}

/** A port the OpenTwin workloads publish, with the key that sets it. */
export interface PublishedPort {
  /** Who publishes it, for messages, e.g. `opentwin:opentwin.services.gds.port` or `the port window of LDS instance 0 (9096 to 9115)`. */
  readonly owner: string;
  readonly port: number;
  readonly path: PropertyKey[];
  /** A port of an LDS port window (derived from the LDS port and opentwin.ldsPortWindow). */
  readonly window: boolean;
}

/**
 * Every port OpenTwin and MongoDB publish, the way the OpenTwin component lays them out: each service's
 * port, MongoDB's, each LDS instance's own port, then each instance's port window. Services first, so
 * a clash with a window is reported under the service.
 */
export function publishedPorts(config: Pick<StackConfig, "opentwin" | "mongodb">): PublishedPort[] {
  const ports: PublishedPort[] = [];
  for (const service of OPENTWIN_SERVICE_NAMES) {
    if (service === "lds") continue;
    const path = ["opentwin", "services", service, "port"];
    ports.push({ owner: keyOf(path), port: servicePort(config, service), path, window: false });
  }
  ports.push({ owner: keyOf(["mongodb", "port"]), port: config.mongodb.port, path: ["mongodb", "port"], window: false });
  const ldsPath = ["opentwin", "services", "lds", "port"];
  const instances = ldsInstances({
    publicHost: config.opentwin.publicHost,
    ports: Object.fromEntries(OPENTWIN_SERVICE_NAMES.map((s) => [s, servicePort(config, s)])) as Record<OpenTwinServiceName, number>,
    ldsReplicas: serviceReplicas(config, "lds"),
    ldsPortWindow: config.opentwin.ldsPortWindow,
  });
  for (const instance of instances) {
    const owner = instance.ordinal === 0 ? keyOf(ldsPath) : `LDS instance ${instance.ordinal} (${keyOf(ldsPath)} + ${instance.ordinal} x (ldsPortWindow + 1))`;
    ports.push({ owner, port: instance.port, path: ldsPath, window: false });
  }
  for (const instance of instances) {
    const first = instance.windowPorts[0];
    const owner = `the port window of LDS instance ${instance.ordinal} (${String(first)} to ${String(instance.windowPorts.at(-1))})`;
    for (const port of instance.windowPorts) ports.push({ owner, port, path: ["opentwin", "ldsPortWindow"], window: true });
  }
  return ports;
}

/** The address and port kubeadm and every node use to reach the API server. */
export function controlPlaneEndpoint(config: StackConfig): { host: string; port: number } | undefined {
  const cp = config.controlPlane;
  if (cp === undefined) return undefined;
  const host = cp.virtualIp ?? cp.nodes[0]?.address;
  return host === undefined ? undefined : { host, port: cp.apiServerPort };
}
