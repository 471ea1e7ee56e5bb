import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openTwinEndpoints, ldsInstances, requiredCertificateHosts } from "../../../components/opentwin/endpoints";
import { openTwinArgProblems, portsOf } from "../../../components/opentwin/validate";
import { devArgs } from "./devValues";

const dev = devArgs();
const endpoints = openTwinEndpoints({
  namespace: dev.namespace,
  clusterDomain: dev.clusterDomain,
  publicHost: dev.publicHost,
  ports: portsOf(dev.services),
  ldsReplicas: 2,
  ldsPortWindow: dev.ldsPortWindow,
  mongodbPort: dev.mongodb.port,
});

describe("endpoints", () => {
  it("advertises publicHost:<port> for each service and each LDS instance", () => {
    expect(endpoints.ownUrl).toEqual({
      logger: "192.168.50.21:8090",
      gss: "192.168.50.21:8091",
      auth: "192.168.50.21:8092",
      lss: "192.168.50.21:8093",
      gds: "192.168.50.21:9094",
    });
    expect(endpoints.lds.map((i) => i.url)).toEqual(["192.168.50.21:9095", "192.168.50.21:9116"]);
  });

  it("gives in-cluster callers the fully qualified Service names", () => {
    expect(endpoints.internalUrl.logger).toBe("logger.opentwin.svc.cluster.local:8090");
    expect(endpoints.mongodbInternal).toBe("mongodb.opentwin.svc.cluster.local:27017");
    expect(endpoints.mongodbPublic).toBe("192.168.50.21:27017");
  });

  it("lists every name a certificate must cover for its URLs", () => {
    expect(requiredCertificateHosts("mongodb", dev)).toEqual(["mongodb.opentwin.svc.cluster.local", "192.168.50.21", "localhost", "127.0.0.1"]);
  });

  it("gives LDS instances disjoint port blocks, each window right after its port", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024, max: 20000 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 8 }), (base, window, replicas) => {
        const instances = ldsInstances({ publicHost: "h", ports: { ...portsOf(dev.services), lds: base }, ldsReplicas: replicas, ldsPortWindow: window });
        const all = instances.flatMap((i) => [i.port, ...i.windowPorts]);
        expect(new Set(all).size).toBe(all.length);
        for (const i of instances) expect(i.windowPorts).toEqual(Array.from({ length: window }, (_, k) => i.port + 1 + k));
        expect(instances[0]?.port).toBe(base);
      }),
    );
  });
});

describe("argument checks", () => {
  it("accepts the dev values", () => {
    expect(openTwinArgProblems({ ...dev, mongodbPort: dev.mongodb.port })).toEqual([]);
  });

  it("names every bad argument in one list", () => {
    const bad = devArgs();
    const problems = openTwinArgProblems({
      ...bad,
      image: "registry/opentwin/services:2.0.0-ltsc2019",
      services: { ...bad.services, gss: { ...bad.services.gss, replicas: 2 }, lss: { ...bad.services.lss, replicas: -1 } },
      mongodbPort: 27017,
    });
    expect(problems).toEqual([
      'image "registry/opentwin/services:2.0.0-ltsc2019": its tag must name the workers\' Windows build ltsc2022 (found ltsc2019)',
      "services.gss.replicas: 2; only auth and lds may run more than one replica",
      "services.lss.replicas: -1 must be a whole number >= 0",
    ]);
  });

  it("finds a service port inside an LDS port window", () => {
    const args = devArgs();
    const problems = openTwinArgProblems({ ...args, services: { ...args.services, gds: { ...args.services.gds, port: 9100 } }, mongodbPort: 27017 });
    expect(problems).toEqual(["port 9100 is used by both gds and lds-0's port window"]);
  });
});
