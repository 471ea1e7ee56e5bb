/**
 * Which address each OpenTwin argument gets. Decisions (see images/opentwin/README.md):
 * - A service's own URL is `publicHost:port`: OpenTwin binds 0.0.0.0:<port> and advertises the URL as given,
 *   and the desktop front end connects to advertised URLs directly.
 * - URLs that GSS hands to the front end (AUTH URL, MongoDB address) are public as well.
 * - URLs only services use to find each other at start (logger, GSS for LSS/GDS, GDS for LDS, MongoDB for AUTH)
 *   are the in-cluster FQDN `<svc>.<ns>.svc.<domain>:<port>` (Windows resolves a fully qualified name without
 *   relying on suffix search for multi-label names); the certificates' SANs must include these names.
 * Services still call each other at registered (public) URLs later, so publicHost must be reachable from pods.
 */
import type { OpenTwinServiceName } from "../lib/catalog";
import { MONGODB_SERVICE_NAME, kubernetesServiceName } from "./constants";

export interface EndpointInput {
  readonly namespace: string;
  readonly clusterDomain: string;
  readonly publicHost: string;
  readonly ports: Record<OpenTwinServiceName, number>;
  readonly ldsReplicas: number;
  readonly ldsPortWindow: number;
  readonly mongodbPort: number;
}

export interface LdsInstance {
  readonly ordinal: number;
  /** Kubernetes name of the instance's StatefulSet and Service. */
  readonly name: string;
  readonly port: number;
  /** Ports the instance gives to compute services and relays: port+1 .. port+window. */
  readonly windowPorts: readonly number[];
  readonly url: string;
}

export interface OpenTwinEndpoints {
  /** Own (advertised) URL of each service except the LDS instances. */
  readonly ownUrl: Record<Exclude<OpenTwinServiceName, "lds">, string>;
  readonly lds: readonly LdsInstance[];
  readonly internalUrl: Record<OpenTwinServiceName, string>;
  readonly mongodbInternal: string;
  readonly mongodbPublic: string;
}

/** `<service>.<namespace>.svc.<clusterDomain>`: the name services use inside the cluster. */
export function inClusterHost(service: string, namespace: string, clusterDomain: string): string {
  return `${service}.${namespace}.svc.${clusterDomain}`;
}

/** Own port of LDS instance i: each instance owns its port and the `window` ports after it. */
export function ldsInstancePort(basePort: number, window: number, ordinal: number): number {
  return basePort + ordinal * (window + 1);
}

export function ldsInstances(input: Pick<EndpointInput, "publicHost" | "ports" | "ldsReplicas" | "ldsPortWindow">): LdsInstance[] {
  return Array.from({ length: input.ldsReplicas }, (_, ordinal) => {
    const port = ldsInstancePort(input.ports.lds, input.ldsPortWindow, ordinal);
    const windowPorts = Array.from({ length: input.ldsPortWindow }, (__, i) => port + 1 + i);
    return { ordinal, name: `${kubernetesServiceName("lds")}-${ordinal}`, port, windowPorts, url: `${input.publicHost}:${port}` };
  });
}

export function openTwinEndpoints(input: EndpointInput): OpenTwinEndpoints {
  const own = (service: OpenTwinServiceName): string => `${input.publicHost}:${input.ports[service]}`;
  const internal = (service: OpenTwinServiceName): string =>
    `${inClusterHost(kubernetesServiceName(service), input.namespace, input.clusterDomain)}:${input.ports[service]}`;
  return {
    ownUrl: { logger: own("logger"), gss: own("gss"), auth: own("auth"), lss: own("lss"), gds: own("gds") },
    lds: ldsInstances(input),
    internalUrl: {
      logger: internal("logger"),
      gss: internal("gss"),
      auth: internal("auth"),
      lss: internal("lss"),
      gds: internal("gds"),
      lds: internal("lds"),
    },
    mongodbInternal: `${inClusterHost(MONGODB_SERVICE_NAME, input.namespace, input.clusterDomain)}:${input.mongodbPort}`,
    mongodbPublic: `${input.publicHost}:${input.mongodbPort}`,
  };
}

/** Host names (DNS) and addresses each certificate must cover for these endpoints (for the PKI's SAN lists). */
export function requiredCertificateHosts(service: OpenTwinServiceName | "mongodb", input: Pick<EndpointInput, "namespace" | "clusterDomain" | "publicHost">): string[] {
  const name = service === "mongodb" ? MONGODB_SERVICE_NAME : kubernetesServiceName(service);
  const hosts = [inClusterHost(name, input.namespace, input.clusterDomain), input.publicHost, "localhost", "127.0.0.1"];
  return [...new Set(hosts)];
}
