/**
 * A supplied PKI is checked while the stack loads, before anything is registered: each bad PEM stops
 * the load with a message naming the key. Certificates are made with openssl at test time from the
 * e2e stack (existing cluster, pki.mode supplied), whose SAN lists the program derives.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStack } from "../../../infra/config/load";
import { ConfigError, formatProblem } from "../../../infra/config/problems";
import { pkiServices } from "../../../infra/workloads";
import { issue, makeCa, type Ca, type Pem } from "../../../tools/e2e/pki";
import { parsedStack } from "../../../tools/e2e/inputs";
import { edited, sourceOf, stackConfig } from "../../support/stacks";

const work = mkdtempSync(join(tmpdir(), "opentwin-supplied-pki-"));
const services = pkiServices(parsedStack("e2e"));
let ca: Ca;
let good: Record<string, Pem>;
let base: Record<string, unknown>;

function problemsOf(config: Record<string, unknown>, allowMissingSecrets = false): string[] {
  try {
    loadStack(sourceOf(config, ["pki", "mongodb", "cluster"]), { allowMissingSecrets });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

beforeAll(() => {
  // Service keys use 3072 bits (issue default), the minimum the check accepts; the CA key size is not checked.
  ca = makeCa(join(work, "ca"), "Unit CA", 2048);
  good = Object.fromEntries(services.map((s) => [s.name, issue(ca, { name: s.name, commonName: s.commonName, dnsNames: s.dnsNames, ipAddresses: s.ipAddresses })]));
  base = edited(stackConfig("e2e"), (c) => {
    c.pki.caCertificate = ca.certificate;
    c.pki.certificates = Object.fromEntries(Object.entries(good).map(([n, p]) => [n, { certificate: p.certificate, privateKey: p.privateKey }]));
    c.mongodb.adminPassword = "x";
    c.mongodb.adminPasswordEncrypted = "y";
    c.cluster.kubeconfig = "apiVersion: v1";
  });
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const CERT_ALLOWED = "a PEM certificate signed by opentwin:pki.caCertificate, valid now, with serverAuth and clientAuth and every name and IP its clients dial";

describe("supplied PKI content", () => {
  it("a correct supplied PKI loads without problems", () => {
    expect(problemsOf(base)).toEqual([]);
  });

  it("a certificate from another CA", () => {
    const other = makeCa(join(work, "other"), "Other CA", 2048);
    const s = services.find((x) => x.name === "gss")!;
    const foreign = issue(other, { name: "gss", commonName: s.commonName, dnsNames: s.dnsNames, ipAddresses: s.ipAddresses });
    const config = edited(base, (c) => (c.pki.certificates.gss = { certificate: foreign.certificate, privateKey: foreign.privateKey }));
    expect(problemsOf(config)).toEqual([`opentwin:pki.certificates.gss.certificate: "(PEM)" not signed by the supplied CA (O=OpenTwin e2e, CN=Unit CA); allowed: ${CERT_ALLOWED}`]);
  });

  it("an expired certificate, and one lacking a SAN its clients dial", () => {
    const s = services.find((x) => x.name === "auth")!;
    const expired = issue(ca, { name: "auth-old", commonName: s.commonName, dnsNames: s.dnsNames, ipAddresses: s.ipAddresses, notBefore: new Date("2024-01-01T00:00:00Z"), notAfter: new Date("2024-02-01T00:00:00Z") });
    const narrow = issue(ca, { name: "lss-narrow", commonName: "opentwin-lss", dnsNames: ["lss.example.test"] });
    const config = edited(base, (c) => {
      c.pki.certificates.auth = { certificate: expired.certificate, privateKey: expired.privateKey };
      c.pki.certificates.lss = { certificate: narrow.certificate, privateKey: narrow.privateKey };
    });
    const lss = services.find((x) => x.name === "lss")!;
    const missing = [...lss.dnsNames.map((n) => `DNS:${n}`), ...lss.ipAddresses.map((ip) => `IP:${ip}`)].join(", ");
    expect(problemsOf(config)).toEqual([
      `opentwin:pki.certificates.auth.certificate: "(PEM)" expired on 2024-02-01T00:00:00.000Z; allowed: ${CERT_ALLOWED}`,
      `opentwin:pki.certificates.lss.certificate: "(PEM)" subject alternative names lack ${missing}; allowed: ${CERT_ALLOWED}`,
    ]);
  });

  it("a PKCS#8 key and a key of another certificate, without printing either", () => {
    const pkcs8 = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";
    const config = edited(base, (c) => {
      c.pki.certificates.logger.privateKey = pkcs8;
      c.pki.certificates.gds.privateKey = good.lds!.privateKey;
    });
    expect(problemsOf(config)).toEqual([
      'opentwin:pki.certificates.logger.privateKey: "(hidden)" not a PKCS#1 RSA key ("-----BEGIN RSA PRIVATE KEY-----"); OpenTwin loads only PKCS#1 (convert with: openssl rsa -traditional); allowed: the PKCS#1 RSA key (3072 bits or more) of that certificate',
      'opentwin:pki.certificates.gds.privateKey: "(hidden)" does not belong to the certificate (public keys differ); allowed: the PKCS#1 RSA key (3072 bits or more) of that certificate',
    ]);
  });

  it("a CA certificate that is not a CA, reported once, and a missing key named once (by the secret check)", () => {
    const config = edited(base, (c) => {
      c.pki.caCertificate = good.gss!.certificate;
      delete c.pki.certificates.mongodb.privateKey;
    });
    const problems = problemsOf(config);
    expect(problems[0]).toBe('opentwin:pki.caCertificate: "(PEM)" not a CA certificate (basicConstraints CA:TRUE missing); allowed: a CA certificate in PEM (basicConstraints CA:TRUE) that is valid now');
    expect(problems.filter((p) => p.includes("mongodb.privateKey"))).toEqual([
      "opentwin:pki.certificates.mongodb.privateKey: (not set) is a required secret that the stack does not set; allowed: a secure value: pulumi config set --secret --path 'opentwin:pki.certificates.mongodb.privateKey' ...",
    ]);
  });

  it("a render, which sees private keys only as placeholders, still checks the certificates", () => {
    const config = edited(base, (c) => {
      for (const name of Object.keys(c.pki.certificates)) c.pki.certificates[name].privateKey = "[secret]";
    });
    expect(problemsOf(config, true)).toEqual([]);
    const broken = edited(config, (c) => (c.pki.certificates.gds.certificate = "not a pem"));
    expect(problemsOf(broken, true)).toEqual([`opentwin:pki.certificates.gds.certificate: "(PEM)" not a PEM certificate that can be parsed; allowed: ${CERT_ALLOWED}`]);
  });
});
