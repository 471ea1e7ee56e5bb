/** Certificate subjects and the arithmetic of validity. Pure. */

/** Name of the MongoDB server certificate in OpenTwinPki's services. */
export const MONGODB_CERTIFICATE = "mongodb";

/**
 * Organizational units of the leaf certificates. MongoDB treats a client certificate whose O, OU and
 * DC equal those of its member certificates as a cluster member when x.509 membership is on; the
 * OpenTwin services present their certificates to MongoDB as TLS clients, so the server's OU differs
 * from theirs. (OpenTwin logs in with a password; this keeps it safe if x.509 membership is ever enabled.)
 */
export const SERVICE_OU = "OpenTwin services";
export const MONGODB_OU = "OpenTwin MongoDB";

export interface PkiSubject {
  readonly commonName: string;
  readonly organization: string;
  readonly organizationalUnit?: string;
  readonly country?: string;
  readonly locality?: string;
}

export interface CertificateSubject {
  commonName: string;
  organization: string;
  organizationalUnit?: string;
  country?: string;
  locality?: string;
}

function withOptional(subject: CertificateSubject, base: PkiSubject): CertificateSubject {
  if (base.country !== undefined) subject.country = base.country;
  if (base.locality !== undefined) subject.locality = base.locality;
  return subject;
}

/** The CA's subject: exactly the configured one. */
export function caSubject(base: PkiSubject): CertificateSubject {
  const subject: CertificateSubject = { commonName: base.commonName, organization: base.organization };
  if (base.organizationalUnit !== undefined) subject.organizationalUnit = base.organizationalUnit;
  return withOptional(subject, base);
}

/** A leaf's subject: its own CN, the CA's O/C/L, OU by role (MongoDB server vs OpenTwin services). */
export function leafSubject(base: PkiSubject, service: { name: string; commonName: string }): CertificateSubject {
  const organizationalUnit = service.name === MONGODB_CERTIFICATE ? MONGODB_OU : SERVICE_OU;
  return withOptional({ commonName: service.commonName, organization: base.organization, organizationalUnit }, base);
}

/** The CA renews as early, relative to its lifetime, as the leaves do (rounded; always below its validity). */
export function caEarlyRenewalHours(args: { caValidityHours: number; validityHours: number; earlyRenewalHours: number }): number {
  if (args.validityHours <= 0) return 0;
  const scaled = Math.round((args.earlyRenewalHours * args.caValidityHours) / args.validityHours);
  return Math.min(scaled, args.caValidityHours - 1);
}

export interface PkiArgsToCheck {
  readonly mode: "generate" | "supplied";
  readonly keyBits: number;
  readonly caValidityHours: number;
  readonly validityHours: number;
  readonly earlyRenewalHours: number;
  readonly services: readonly { name: string; commonName: string; dnsNames: readonly string[]; ipAddresses: readonly string[] }[];
  readonly supplied?: { readonly caCertificate: string; readonly certificates: Record<string, unknown> };
}

/** Every problem with OpenTwinPki's arguments, one message each, naming the argument. */
export function pkiArgProblems(args: PkiArgsToCheck): string[] {
  const problems: string[] = [];
  if (args.keyBits !== 3072 && args.keyBits !== 4096) problems.push(`keyBits: ${args.keyBits} is not 3072 or 4096`);
  if (!(args.validityHours > 0)) problems.push(`validityHours: ${args.validityHours} must be positive`);
  if (!(args.earlyRenewalHours >= 0 && args.earlyRenewalHours < args.validityHours)) {
    problems.push(`earlyRenewalHours: ${args.earlyRenewalHours} must be at least 0 and below validityHours (${args.validityHours}), or every run renews`);
  }
  if (!(args.caValidityHours >= args.validityHours)) {
    problems.push(`caValidityHours: ${args.caValidityHours} is shorter than the certificates' validityHours (${args.validityHours})`);
  }
  const seen = new Set<string>();
  for (const service of args.services) {
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(service.name)) problems.push(`services: "${service.name}" is not a DNS label`);
    if (seen.has(service.name)) problems.push(`services: "${service.name}" appears twice`);
    seen.add(service.name);
    if (service.commonName.trim() === "") problems.push(`services.${service.name}.commonName: empty`);
    if (service.dnsNames.length + service.ipAddresses.length === 0) problems.push(`services.${service.name}: no SANs`);
  }
  if (args.mode === "supplied") {
    if (args.supplied === undefined) problems.push("supplied: required in supplied mode");
    else {
      if (args.supplied.caCertificate.trim() === "") problems.push("supplied.caCertificate: empty");
      for (const serviceName of new Set(args.services.map((s) => s.name))) {
        if (!(serviceName in args.supplied.certificates)) problems.push(`supplied.certificates.${serviceName}: missing`);
      }
    }
  }
  return problems;
}
