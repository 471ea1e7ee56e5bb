/** Values derived from a valid configuration, computed in one place so components never re-derive them. */
import { OPENTWIN_DEFAULT_PORTS, OPENTWIN_SERVICE_NAMES, type OpenTwinServiceName } from "../../components/lib/catalog";
import type { StackConfig } from "./schema";

export function servicePort(config: StackConfig, service: OpenTwinServiceName): number {
  return config.opentwin.services[service].port ?? OPENTWIN_DEFAULT_PORTS[service];
}

export function serviceReplicas(config: StackConfig, service: OpenTwinServiceName): number {
  return config.opentwin.services[service].replicas ?? 1;
}

/** Every port the OpenTwin services publish, with the key that sets it (the LDS window included). */
export function servicePorts(config: StackConfig): { service: string; port: number; path: PropertyKey[] }[] {
  const ports: { service: string; port: number; path: PropertyKey[] }[] = OPENTWIN_SERVICE_NAMES.map((service) => ({
    service,
    port: servicePort(config, service),
    path: ["opentwin", "services", service, "port"],
  }));
  const lds = servicePort(config, "lds");
  for (let i = 1; i <= config.opentwin.ldsPortWindow; i++) {
    ports.push({ service: `the LDS port window (lds port + ${i})`, port: lds + i, path: ["opentwin", "ldsPortWindow"] });
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
