import { describe, expect, it } from "vitest";
import { MONGODB_OU, SERVICE_OU, caEarlyRenewalHours, leafSubject, pkiArgProblems } from "../../../components/pki/subject";

const base = { commonName: "OpenTwin Root CA", organization: "OpenTwin", country: "DE" };

describe("leaf subjects", () => {
  it("MongoDB's server certificate differs from the services' (client) certificates in OU only", () => {
    const mongo = leafSubject(base, { name: "mongodb", commonName: "mongodb" });
    const gss = leafSubject(base, { name: "gss", commonName: "gss" });
    expect(mongo.organization).toBe(gss.organization);
    expect(mongo.organizationalUnit).toBe(MONGODB_OU);
    expect(gss.organizationalUnit).toBe(SERVICE_OU);
    expect(MONGODB_OU).not.toBe(SERVICE_OU);
    expect(gss.country).toBe("DE");
  });
});

describe("caEarlyRenewalHours", () => {
  it("scales the leaves' early renewal to the CA's lifetime and stays below it", () => {
    expect(caEarlyRenewalHours({ caValidityHours: 87600, validityHours: 8760, earlyRenewalHours: 720 })).toBe(7200);
    expect(caEarlyRenewalHours({ caValidityHours: 100, validityHours: 100, earlyRenewalHours: 100 })).toBe(99);
  });
});

describe("pkiArgProblems", () => {
  const good = {
    mode: "generate" as const,
    keyBits: 4096,
    caValidityHours: 87600,
    validityHours: 8760,
    earlyRenewalHours: 720,
    services: [{ name: "gss", commonName: "gss", dnsNames: ["gss"], ipAddresses: [] }],
  };
  it("accepts the stack defaults", () => expect(pkiArgProblems(good)).toEqual([]));
  it("names each bad argument", () => {
    expect(
      pkiArgProblems({
        ...good,
        mode: "supplied",
        keyBits: 2048,
        earlyRenewalHours: 8760,
        services: [...good.services, { name: "gss", commonName: "", dnsNames: [], ipAddresses: [] }],
        supplied: { caCertificate: "x", certificates: {} },
      }),
    ).toEqual([
      "keyBits: 2048 is not 3072 or 4096",
      "earlyRenewalHours: 8760 must be at least 0 and below validityHours (8760), or every run renews",
      'services: "gss" appears twice',
      "services.gss.commonName: empty",
      "services.gss: no SANs",
      "supplied.certificates.gss: missing",
    ]);
  });
});
