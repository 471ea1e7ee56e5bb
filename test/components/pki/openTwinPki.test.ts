import { beforeAll, describe, expect, it } from "vitest";
import { runUnderMocks, type RecordedResource } from "../../../tools/render/mockRuntime";

const services = [
  { name: "gss", commonName: "gss", dnsNames: ["gss", "gss.opentwin", "localhost"], ipAddresses: ["127.0.0.1", "192.168.50.21"] },
  { name: "mongodb", commonName: "mongodb", dnsNames: ["mongodb", "localhost"], ipAddresses: ["127.0.0.1"] },
];
const common = {
  subject: { commonName: "OpenTwin Root CA", organization: "OpenTwin" },
  keyBits: 3072 as const,
  caValidityHours: 87600,
  validityHours: 8760,
  earlyRenewalHours: 720,
  services,
};
const SUPPLIED_KEY = "-----BEGIN RSA PRIVATE KEY-----\nsupplied-test-key\n-----END RSA PRIVATE KEY-----\n";

let resources: RecordedResource[] = [];
const protect = new Map<string, boolean | undefined>();
const observed: Record<string, unknown> = {};

beforeAll(async () => {
  resources = await runUnderMocks({ project: "opentwin", stack: "dev" }, async () => {
    const pulumi = await import("@pulumi/pulumi");
    const { OpenTwinPki } = await import("../../../components/pki/openTwinPki");
    pulumi.runtime.registerStackTransformation((t) => {
      protect.set(t.name, t.opts.protect);
      return undefined;
    });
    const generated = new OpenTwinPki("gen", { ...common, mode: "generate", protect: true });
    const unprotected = new OpenTwinPki("plain", { ...common, mode: "generate", protect: false });
    const supplied = new OpenTwinPki("sup", {
      ...common,
      mode: "supplied",
      protect: true,
      supplied: {
        caCertificate: "CA-PEM",
        certificates: { gss: { certificate: "GSS-PEM", privateKey: SUPPLIED_KEY }, mongodb: { certificate: "MONGO-PEM", privateKey: SUPPLIED_KEY } },
      },
    });
    const gen = generated.certificates.gss!;
    const sup = supplied.certificates.gss!;
    observed.generatedKeySecret = await pulumi.isSecret(gen.privateKey);
    observed.generatedChecksumSecret = await pulumi.isSecret(gen.checksum);
    observed.suppliedKeySecret = await pulumi.isSecret(sup.privateKey);
    observed.suppliedChecksumSecret = await pulumi.isSecret(sup.checksum);
    observed.suppliedCertificate = await new Promise((resolve) => sup.certificate.apply(resolve));
    observed.suppliedCa = await new Promise((resolve) => supplied.caCertificate.apply(resolve));
    observed.suppliedChecksum = await new Promise((resolve) => sup.checksum.apply(resolve));
    observed.generatedChecksum = await new Promise((resolve) => gen.checksum.apply(resolve));
    void unprotected;
  });
});

const of = (parent: string, type: string) => resources.filter((r) => r.parent === `opentwin:pki:OpenTwinPki::${parent}` && r.type === type);
const input = (name: string) => resources.find((r) => r.name === name)?.inputs as Record<string, unknown>;

describe("OpenTwinPki (generate) under mocks", () => {
  it("makes RSA keys of the configured size for the CA and every service", () => {
    const keys = of("gen", "tls:index/privateKey:PrivateKey");
    expect(keys.map((k) => k.name)).toEqual(["gen-ca-key", "gen-gss-key", "gen-mongodb-key"]);
    for (const key of keys) expect(key.inputs).toMatchObject({ algorithm: "RSA", rsaBits: 3072 });
  });

  it("makes a CA certificate with signing uses, its validity and a scaled early renewal", () => {
    expect(input("gen-ca")).toMatchObject({
      isCaCertificate: true,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      validityPeriodHours: 87600,
      earlyRenewalHours: 7200,
      subject: { commonName: "OpenTwin Root CA", organization: "OpenTwin" },
    });
  });

  it("issues service certificates for server and client auth with the args' validity and early renewal", () => {
    for (const name of ["gen-gss-cert", "gen-mongodb-cert"]) {
      const allowed = input(name).allowedUses as string[];
      expect(allowed).toEqual(expect.arrayContaining(["server_auth", "client_auth", "digital_signature", "key_encipherment"]));
      expect(input(name)).toMatchObject({ validityPeriodHours: 8760, earlyRenewalHours: 720 });
    }
  });

  it("requests the given SANs and gives MongoDB a different OU than the services", () => {
    expect(input("gen-gss-csr")).toMatchObject({ dnsNames: services[0]!.dnsNames, ipAddresses: services[0]!.ipAddresses });
    const gssOu = (input("gen-gss-csr").subject as Record<string, string>).organizationalUnit;
    const mongoOu = (input("gen-mongodb-csr").subject as Record<string, string>).organizationalUnit;
    expect(gssOu).not.toBe(mongoOu);
  });

  it("protects the CA key and certificate when asked, and only those", () => {
    expect(protect.get("gen-ca-key")).toBe(true);
    expect(protect.get("gen-ca")).toBe(true);
    expect(protect.get("gen-gss-key")).toBeFalsy();
    expect(protect.get("plain-ca-key")).toBeFalsy();
    expect(protect.get("plain-ca")).toBeFalsy();
  });

  it("keeps private keys secret and checksums public", () => {
    expect(observed.generatedKeySecret).toBe(true);
    expect(observed.generatedChecksumSecret).toBe(false);
    expect(observed.generatedChecksum).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("OpenTwinPki (supplied) under mocks", () => {
  it("creates no tls resources at all", () => {
    expect(resources.filter((r) => r.parent === "opentwin:pki:OpenTwinPki::sup")).toEqual([]);
    expect(resources.filter((r) => r.type.startsWith("tls:") && r.name.startsWith("sup"))).toEqual([]);
  });

  it("outputs the supplied PEMs, the keys as secrets, the checksum in clear", async () => {
    const { createHash } = await import("node:crypto");
    expect(observed.suppliedCertificate).toBe("GSS-PEM");
    expect(observed.suppliedCa).toBe("CA-PEM");
    expect(observed.suppliedKeySecret).toBe(true);
    expect(observed.suppliedChecksumSecret).toBe(false);
    expect(observed.suppliedChecksum).toBe(createHash("sha256").update("GSS-PEM").update("\n").update("CA-PEM").digest("hex"));
  });
});
