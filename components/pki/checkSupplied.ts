/**
 * Checks operator-supplied PEMs before anything is registered. Pure (node:crypto only); returns one
 * message per problem naming the service, never any key material.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { isIP } from "node:net";

const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
const PKCS1_HEADER = "-----BEGIN RSA PRIVATE KEY-----";

export interface SuppliedPkiInput {
  /** The CA certificate (PEM). */
  readonly caCertificate: string;
  /** Per service: certificate (PEM) and private key (PKCS#1 PEM, plain text here). */
  readonly certificates: Readonly<Record<string, { readonly certificate: string; readonly privateKey?: string | undefined }>>;
  /** The services that need a certificate, with the SANs each must cover. */
  readonly services: readonly { readonly name: string; readonly dnsNames: readonly string[]; readonly ipAddresses: readonly string[] }[];
  /** Point in time for the expiry check. Default: now. */
  readonly now?: Date;
  /** Smallest RSA modulus accepted. Default 3072. */
  readonly minimumKeyBits?: number;
}

export function checkSuppliedPki(input: SuppliedPkiInput): string[] {
  const problems: string[] = [];
  const now = input.now ?? new Date();
  const ca = parseCertificate(input.caCertificate);
  if (ca === undefined) {
    problems.push("caCertificate: not a PEM certificate that can be parsed");
  } else {
    if (!ca.ca) problems.push("caCertificate: not a CA certificate (basicConstraints CA:TRUE missing)");
    problems.push(...validityProblems("caCertificate", ca, now));
  }

  const required = new Set(input.services.map((s) => s.name));
  for (const name of Object.keys(input.certificates)) {
    if (!required.has(name)) problems.push(`certificates.${name}: no service of that name needs a certificate`);
  }
  for (const service of input.services) {
    const where = `certificates.${service.name}`;
    const supplied = input.certificates[service.name];
    if (supplied === undefined) {
      problems.push(`${where}: missing (service ${service.name} needs a certificate and key)`);
      continue;
    }
    const certificate = parseCertificate(supplied.certificate);
    if (certificate === undefined) {
      problems.push(`${where}.certificate: not a PEM certificate that can be parsed`);
    } else {
      problems.push(...validityProblems(`${where}.certificate`, certificate, now));
      problems.push(...usageProblems(`${where}.certificate`, certificate));
      problems.push(...sanProblems(`${where}.certificate`, certificate, service));
      if (ca !== undefined && !(certificate.checkIssued(ca) && certificate.verify(ca.publicKey))) {
        problems.push(`${where}.certificate: not signed by the supplied CA (${ca.subject.replace(/\n/g, ", ")})`);
      }
    }
    const key = keyProblems(`${where}.privateKey`, supplied.privateKey, input.minimumKeyBits ?? 3072);
    problems.push(...key.problems);
    if (certificate !== undefined && key.key !== undefined && !certificate.checkPrivateKey(key.key)) {
      problems.push(`${where}.privateKey: does not belong to the certificate (public keys differ)`);
    }
  }
  return problems;
}

function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

function validityProblems(where: string, certificate: X509Certificate, now: Date): string[] {
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (now.getTime() > notAfter.getTime()) return [`${where}: expired on ${notAfter.toISOString()}`];
  if (now.getTime() < notBefore.getTime()) return [`${where}: not valid before ${notBefore.toISOString()}`];
  return [];
}

function usageProblems(where: string, certificate: X509Certificate): string[] {
  const usages = certificate.keyUsage ?? [];
  const missing = [
    { oid: SERVER_AUTH, name: "serverAuth" },
    { oid: CLIENT_AUTH, name: "clientAuth" },
  ].filter((u) => !usages.includes(u.oid));
  return missing.length === 0 ? [] : [`${where}: extended key usage lacks ${missing.map((u) => u.name).join(" and ")}`];
}

/** "DNS:a, DNS:b, IP Address:1.2.3.4" -> the two lists. */
function certificateSans(certificate: X509Certificate): { dns: Set<string>; ips: Set<string> } {
  const dns = new Set<string>();
  const ips = new Set<string>();
  for (const entry of (certificate.subjectAltName ?? "").split(/,\s*/)) {
    const colon = entry.indexOf(":");
    if (colon < 0) continue;
    const kind = entry.slice(0, colon).trim();
    const value = entry.slice(colon + 1).trim().replace(/^"|"$/g, "").toLowerCase();
    if (kind === "DNS") dns.add(value);
    if (kind === "IP Address") ips.add(value);
  }
  return { dns, ips };
}

function sanProblems(
  where: string,
  certificate: X509Certificate,
  service: { dnsNames: readonly string[]; ipAddresses: readonly string[] },
): string[] {
  const sans = certificateSans(certificate);
  const missing = [
    ...service.dnsNames.filter((name) => !sans.dns.has(name.toLowerCase())).map((name) => `DNS:${name}`),
    ...service.ipAddresses.filter((ip) => !sans.ips.has(ip.toLowerCase())).map((ip) => `IP:${ip}`),
  ];
  const ipsAsDns = [...sans.dns].filter((name) => isIP(name) !== 0);
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`${where}: subject alternative names lack ${missing.join(", ")}`);
  if (ipsAsDns.length > 0) problems.push(`${where}: IP addresses given as DNS names (${ipsAsDns.join(", ")}); they must be IP SANs`);
  return problems;
}

function keyProblems(where: string, pem: string | undefined, minimumBits: number): { problems: string[]; key?: KeyObject } {
  if (pem === undefined || pem.trim() === "") return { problems: [`${where}: missing`] };
  if (!pem.includes(PKCS1_HEADER)) {
    return { problems: [`${where}: not a PKCS#1 RSA key ("${PKCS1_HEADER}"); OpenTwin loads only PKCS#1 (convert with: openssl rsa -traditional)`] };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    return { problems: [`${where}: cannot be parsed (encrypted or damaged?)`] };
  }
  if (key.asymmetricKeyType !== "rsa") return { problems: [`${where}: not an RSA key`] };
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  const problems = bits < minimumBits ? [`${where}: RSA key has ${bits} bits, at least ${minimumBits} required`] : [];
  return { problems, key };
}
