import { isIP } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { serviceSans } from "../../../components/pki/sans";

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}[a-z0-9]$/);
const ipv4 = fc.ipV4();
const host = fc.oneof(ipv4, fc.domain());
const input = fc.record({
  service: label,
  namespace: label,
  clusterDomain: fc.constantFrom("cluster.local", "k8s.example.org"),
  publicHost: host,
  externalIPs: fc.array(ipv4, { maxLength: 4 }),
  extraDnsNames: fc.array(host, { maxLength: 3 }),
  extraIps: fc.array(fc.oneof(ipv4, fc.ipV6()), { maxLength: 3 }),
});

describe("serviceSans", () => {
  it("never puts an IP address into dnsNames, and only IPs into ipAddresses", () => {
    fc.assert(
      fc.property(input, (i) => {
        const sans = serviceSans(i);
        expect(sans.dnsNames.filter((n) => isIP(n) !== 0)).toEqual([]);
        expect(sans.ipAddresses.filter((n) => isIP(n) === 0)).toEqual([]);
      }),
    );
  });

  it("always covers the four Kubernetes names, localhost and 127.0.0.1", () => {
    fc.assert(
      fc.property(input, (i) => {
        const sans = serviceSans(i);
        const { service: s, namespace: n, clusterDomain: d } = i;
        for (const name of [s, `${s}.${n}`, `${s}.${n}.svc`, `${s}.${n}.svc.${d}`, "localhost"]) expect(sans.dnsNames).toContain(name);
        expect(sans.ipAddresses).toContain("127.0.0.1");
      }),
    );
  });

  it("covers the public host and every external IP in the right list", () => {
    fc.assert(
      fc.property(input, (i) => {
        const sans = serviceSans(i);
        if (isIP(i.publicHost) === 4) expect(sans.ipAddresses).toContain(i.publicHost);
        else expect(sans.dnsNames).toContain(i.publicHost.toLowerCase());
        for (const ip of i.externalIPs) expect(sans.ipAddresses).toContain(ip);
      }),
    );
  });

  it("is deterministic: sorted, duplicate-free, independent of input order", () => {
    fc.assert(
      fc.property(input, (i) => {
        const sans = serviceSans(i);
        expect(sans.dnsNames).toEqual([...new Set(sans.dnsNames)].sort());
        expect(sans.ipAddresses).toEqual([...new Set(sans.ipAddresses)].sort());
        const shuffled = serviceSans({ ...i, externalIPs: [...i.externalIPs].reverse(), extraDnsNames: [...i.extraDnsNames].reverse() });
        expect(shuffled).toEqual(sans);
      }),
    );
  });

  it("gives the dev stack's GSS certificate these SANs", () => {
    expect(
      serviceSans({ service: "gss", namespace: "opentwin", clusterDomain: "cluster.local", publicHost: "192.168.50.21", externalIPs: ["192.168.50.21"] }),
    ).toEqual({
      dnsNames: ["gss", "gss.opentwin", "gss.opentwin.svc", "gss.opentwin.svc.cluster.local", "localhost"],
      ipAddresses: ["127.0.0.1", "192.168.50.21"],
    });
  });

  it("puts a DNS public host into dnsNames", () => {
    const sans = serviceSans({ service: "auth", namespace: "ot", clusterDomain: "cluster.local", publicHost: "OpenTwin.Example.org", externalIPs: [] });
    expect(sans.dnsNames).toContain("opentwin.example.org");
    expect(sans.ipAddresses).toEqual(["127.0.0.1"]);
  });
});
