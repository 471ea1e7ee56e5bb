import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSuppliedPki, type SuppliedPkiInput } from "../../../components/pki/checkSupplied";
import { OpensslWorkspace } from "./openssl";

const gssSans = { dns: ["gss", "gss.opentwin", "gss.opentwin.svc", "gss.opentwin.svc.cluster.local", "localhost"], ips: ["127.0.0.1", "192.168.50.21"] };
const mongoSans = { dns: ["mongodb", "mongodb.opentwin", "localhost"], ips: ["127.0.0.1"] };
const services = [
  { name: "gss", dnsNames: gssSans.dns, ipAddresses: gssSans.ips },
  { name: "mongodb", dnsNames: mongoSans.dns, ipAddresses: mongoSans.ips },
];

const ws = new OpensslWorkspace();
const pem: Record<string, string> = {};

beforeAll(() => {
  pem.caKey = ws.key("ca");
  pem.ca = ws.ca("ca", 30);
  ws.key("otherca");
  pem.otherCa = ws.ca("otherca", 30);
  pem.gssKey = ws.key("gss");
  pem.gssPkcs8 = ws.pkcs8("gss");
  pem.gss = ws.leaf("gss", "gss", "ca", gssSans, 10);
  pem.mongoKey = ws.key("mongodb");
  pem.mongo = ws.leaf("mongodb", "mongodb", "ca", mongoSans, 10);
  pem.gssWrongCa = ws.leaf("gss-wrong-ca", "gss", "otherca", gssSans, 10);
  pem.gssMissingSan = ws.leaf("gss-missing-san", "gss", "ca", { dns: gssSans.dns, ips: ["127.0.0.1"] }, 10);
  pem.gssShort = ws.leaf("gss-short", "gss", "ca", gssSans, 1);
}, 60_000);

afterAll(() => ws.cleanup());

function good(): SuppliedPkiInput {
  return {
    caCertificate: pem.ca as string,
    certificates: {
      gss: { certificate: pem.gss as string, privateKey: pem.gssKey as string },
      mongodb: { certificate: pem.mongo as string, privateKey: pem.mongoKey as string },
    },
    services,
  };
}

function withGss(change: Partial<{ certificate: string; privateKey: string }>, extra: Partial<SuppliedPkiInput> = {}): SuppliedPkiInput {
  const base = good();
  return { ...base, ...extra, certificates: { ...base.certificates, gss: { ...(base.certificates.gss as { certificate: string; privateKey: string }), ...change } } };
}

describe("checkSuppliedPki with real certificates", () => {
  it("accepts a good set", () => {
    expect(checkSuppliedPki(good())).toEqual([]);
  });

  it("reports a certificate signed by another CA, naming the service", () => {
    expect(checkSuppliedPki(withGss({ certificate: pem.gssWrongCa }))).toEqual([
      "certificates.gss.certificate: not signed by the supplied CA (CN=ca, O=OpenTwin Test)",
    ]);
  });

  it("reports a missing SAN, naming the service and the SAN", () => {
    expect(checkSuppliedPki(withGss({ certificate: pem.gssMissingSan }))).toEqual([
      "certificates.gss.certificate: subject alternative names lack IP:192.168.50.21",
    ]);
  });

  it("reports a PKCS#8 key, naming the service", () => {
    const problems = checkSuppliedPki(withGss({ privateKey: pem.gssPkcs8 }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^certificates\.gss\.privateKey: not a PKCS#1 RSA key/);
  });

  it("reports an expired certificate, naming the service", () => {
    const inTwoDays = new Date(Date.now() + 2 * 24 * 3600 * 1000);
    const problems = checkSuppliedPki(withGss({ certificate: pem.gssShort }, { now: inTwoDays }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^certificates\.gss\.certificate: expired on \d{4}-/);
  });

  it("reports a key that belongs to another certificate, naming the service", () => {
    expect(checkSuppliedPki(withGss({ privateKey: pem.mongoKey }))).toEqual([
      "certificates.gss.privateKey: does not belong to the certificate (public keys differ)",
    ]);
  });

  it("reports missing and unknown entries, and never echoes key material", () => {
    const input = good();
    const problems = checkSuppliedPki({
      ...input,
      certificates: { mongodb: input.certificates.mongodb as { certificate: string; privateKey: string }, gs: { certificate: pem.gss as string, privateKey: pem.gssKey as string } },
    });
    expect(problems).toEqual([
      "certificates.gs: no service of that name needs a certificate",
      "certificates.gss: missing (service gss needs a certificate and key)",
    ]);
    expect(problems.join("\n")).not.toContain("PRIVATE KEY");
  });

  it("reports a CA that is not a CA certificate", () => {
    expect(checkSuppliedPki({ ...good(), caCertificate: pem.gss as string })).toContain(
      "caCertificate: not a CA certificate (basicConstraints CA:TRUE missing)",
    );
  });
});
