/** Root CA and one mutual-TLS certificate per OpenTwin service (and MongoDB), generated or supplied. */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { certificateChecksum } from "./checksum";
import { caEarlyRenewalHours, caSubject, leafSubject, pkiArgProblems, type PkiSubject } from "./subject";

export interface PkiServiceCertificate {
  /** Key of the certificate in `certificates` and in child resource names (a DNS label, e.g. "gss", "mongodb"). */
  readonly name: string;
  readonly commonName: string;
  /** DNS SANs (see serviceSans). */
  readonly dnsNames: string[];
  /** IP SANs (see serviceSans). */
  readonly ipAddresses: string[];
}

export interface OpenTwinPkiArgs {
  /** generate: the program makes the CA and certificates; supplied: the operator's PEMs are used. Required. */
  readonly mode: "generate" | "supplied";
  /** CA subject; leaves take its O/C/L (OU by role, see subject.ts). Required. */
  readonly subject: PkiSubject;
  /** RSA modulus of every generated key. Required (stack default 4096). */
  readonly keyBits: 3072 | 4096;
  /** CA validity in hours. Required (stack default 87600). */
  readonly caValidityHours: number;
  /** Service certificate validity in hours. Required (stack default 8760). */
  readonly validityHours: number;
  /** Renew a service certificate this many hours before expiry (CA: scaled to its lifetime). Required (stack default 720). */
  readonly earlyRenewalHours: number;
  /** The certificates to issue: the OpenTwin services and "mongodb". Required. */
  readonly services: readonly PkiServiceCertificate[];
  /** supplied mode only: the CA certificate and per service certificate and PKCS#1 key. Default none. */
  readonly supplied?: {
    readonly caCertificate: string;
    readonly certificates: Record<string, { readonly certificate: string; readonly privateKey: pulumi.Input<string> }>;
  };
  /** Pulumi `protect` on the CA key and certificate (production). Required. */
  readonly protect: boolean;
}

export interface IssuedCertificate {
  readonly certificate: pulumi.Output<string>;
  /** PKCS#1 PEM; always a secret. */
  readonly privateKey: pulumi.Output<string>;
  /** sha256 of certificate and CA (not secret): a pod annotation that rolls pods on renewal. */
  readonly checksum: pulumi.Output<string>;
}

export const SERVICE_ALLOWED_USES = ["digital_signature", "key_encipherment", "server_auth", "client_auth"];
export const CA_ALLOWED_USES = ["cert_signing", "crl_signing", "digital_signature"];

export class OpenTwinPki extends pulumi.ComponentResource {
  /** CA certificate (PEM, public). */
  public readonly caCertificate: pulumi.Output<string>;
  /** Per service name: certificate, secret private key, checksum. */
  public readonly certificates: Record<string, IssuedCertificate>;

  constructor(name: string, args: OpenTwinPkiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("opentwin:pki:OpenTwinPki", name, {}, opts);
    const problems = pkiArgProblems(args);
    if (problems.length > 0) {
      throw new Error(`OpenTwinPki ${name} has invalid arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    const issued = args.mode === "generate" ? this.generate(name, args) : this.useSupplied(args);
    this.caCertificate = issued.caCertificate;
    this.certificates = issued.certificates;
    this.registerOutputs({ caCertificate: this.caCertificate, certificates: this.certificates });
  }

  private generate(name: string, args: OpenTwinPkiArgs): { caCertificate: pulumi.Output<string>; certificates: Record<string, IssuedCertificate> } {
    const caOpts = { parent: this, protect: args.protect };
    const caKey = new tls.PrivateKey(`${name}-ca-key`, { algorithm: "RSA", rsaBits: args.keyBits }, caOpts);
    const ca = new tls.SelfSignedCert(
      `${name}-ca`,
      {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        setSubjectKeyId: true,
        allowedUses: CA_ALLOWED_USES,
        validityPeriodHours: args.caValidityHours,
        earlyRenewalHours: caEarlyRenewalHours(args),
        subject: caSubject(args.subject),
      },
      caOpts,
    );
    const certificates: Record<string, IssuedCertificate> = {};
    for (const service of args.services) {
      const key = new tls.PrivateKey(`${name}-${service.name}-key`, { algorithm: "RSA", rsaBits: args.keyBits }, { parent: this });
      const request = new tls.CertRequest(
        `${name}-${service.name}-csr`,
        {
          privateKeyPem: key.privateKeyPem,
          subject: leafSubject(args.subject, service),
          dnsNames: service.dnsNames,
          ipAddresses: service.ipAddresses,
        },
        { parent: this },
      );
      const certificate = new tls.LocallySignedCert(
        `${name}-${service.name}-cert`,
        {
          certRequestPem: request.certRequestPem,
          caPrivateKeyPem: caKey.privateKeyPem,
          caCertPem: ca.certPem,
          allowedUses: SERVICE_ALLOWED_USES,
          validityPeriodHours: args.validityHours,
          earlyRenewalHours: args.earlyRenewalHours,
          setSubjectKeyId: true,
        },
        { parent: this },
      );
      certificates[service.name] = {
        certificate: certificate.certPem,
        privateKey: pulumi.secret(key.privateKeyPem),
        checksum: pulumi.all([certificate.certPem, ca.certPem]).apply(([cert, caPem]) => certificateChecksum(cert, caPem)),
      };
    }
    return { caCertificate: ca.certPem, certificates };
  }

  private useSupplied(args: OpenTwinPkiArgs): { caCertificate: pulumi.Output<string>; certificates: Record<string, IssuedCertificate> } {
    const supplied = args.supplied;
    if (supplied === undefined) throw new Error("OpenTwinPki: supplied mode without supplied PEMs"); // pkiArgProblems reports it first
    const certificates: Record<string, IssuedCertificate> = {};
    for (const service of args.services) {
      const pair = supplied.certificates[service.name];
      if (pair === undefined) throw new Error(`OpenTwinPki: no supplied certificate for ${service.name}`);
      certificates[service.name] = {
        certificate: pulumi.output(pair.certificate),
        privateKey: pulumi.secret(pair.privateKey),
        checksum: pulumi.output(certificateChecksum(pair.certificate, supplied.caCertificate)),
      };
    }
    return { caCertificate: pulumi.output(supplied.caCertificate), certificates };
  }
}
