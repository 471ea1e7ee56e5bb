/** Subject alternative names of a service certificate. Pure; property-tested in test/unit/pki. */
import { isIP } from "node:net";

export interface ServiceSansInput {
  /** Kubernetes Service name, e.g. "gss". */
  readonly service: string;
  /** Namespace of the Service, e.g. "opentwin". */
  readonly namespace: string;
  /** Cluster DNS domain, e.g. "cluster.local". */
  readonly clusterDomain: string;
  /** Address (IP or DNS name) at which clients outside the cluster reach the service. */
  readonly publicHost: string;
  /** IPs published on the Service (externalIPs). */
  readonly externalIPs: readonly string[];
  /** Further DNS names (an IP given here still becomes an IP SAN). Default none. */
  readonly extraDnsNames?: readonly string[];
  /** Further IP addresses. Default none. */
  readonly extraIps?: readonly string[];
}

export interface Sans {
  readonly dnsNames: string[];
  readonly ipAddresses: string[];
}

/**
 * svc, svc.ns, svc.ns.svc, svc.ns.svc.<domain>, localhost, the public host, every external IP and
 * 127.0.0.1. Anything that is an IP address becomes an IP SAN, never a DNS SAN. DNS names are
 * lower-cased (DNS is case-insensitive); both lists are de-duplicated and sorted.
 */
export function serviceSans(input: ServiceSansInput): Sans {
  const svc = input.service;
  const ns = input.namespace;
  const domain = input.clusterDomain.replace(/^\.+|\.+$/g, "");
  const candidates = [
    svc,
    `${svc}.${ns}`,
    `${svc}.${ns}.svc`,
    `${svc}.${ns}.svc.${domain}`,
    "localhost",
    "127.0.0.1",
    input.publicHost,
    ...input.externalIPs,
    ...(input.extraDnsNames ?? []),
    ...(input.extraIps ?? []),
  ];
  const dnsNames = new Set<string>();
  const ipAddresses = new Set<string>();
  for (const raw of candidates) {
    const value = raw.trim();
    if (value === "") continue;
    if (isIP(value) !== 0) ipAddresses.add(value.toLowerCase());
    else dnsNames.add(value.toLowerCase().replace(/\.$/, ""));
  }
  return { dnsNames: [...dnsNames].sort(), ipAddresses: [...ipAddresses].sort() };
}
