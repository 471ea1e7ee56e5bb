import { describe, expect, it } from "vitest";
import { OPENTWIN_SERVICE_NAMES } from "../../../components/lib/catalog";
import { ldsConfiguration } from "../../../components/opentwin/constants";
import { openTwinEndpoints } from "../../../components/opentwin/endpoints";
import { type MongoManifestInput, mongoInitScript, mongoStatefulSet, mongodArgs } from "../../../components/opentwin/mongodbManifests";
import { namespaceManifest, runtimeClassManifest } from "../../../components/opentwin/placement";
import { certificateAndKey } from "../../../components/opentwin/secrets";
import { portsOf } from "../../../components/opentwin/validate";
import { type WorkloadInput, serviceDeployment } from "../../../components/opentwin/workloads";
import { devArgs } from "./devValues";
import { expectGolden as expectGoldenFile } from "../../support/golden";
const expectGolden = (file: string, actual: string) => expectGoldenFile(`opentwin/${file}`, actual);

type Json = Record<string, any>;
const plain = (x: unknown) => x as Json;

const mongoInput = (onControlPlane: boolean): MongoManifestInput => ({
  namespace: "opentwin",
  port: 27017,
  version: "7.0.14",
  image: "docker.io/library/mongo:7.0.14",
  storageGiB: 10,
  localPath: "/var/lib/opentwin/mongodb",
  cpu: "500m",
  memory: "1Gi",
  nodeName: "otworker1",
  onControlPlane,
  externalIPs: [],
  certificateChecksum: "c1",
});

describe("MongoDB manifests", () => {
  it("tolerates the control-plane taint only when placed on a control plane", () => {
    expect(plain(mongoStatefulSet(mongoInput(false))).spec.template.spec.tolerations).toEqual([]);
    expect(plain(mongoStatefulSet(mongoInput(true))).spec.template.spec.tolerations).toEqual([
      { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
    ]);
  });

  it("runs mongod with authorization, requireTLS and TLS 1.2+ on every address", () => {
    const args = mongodArgs(27017).join(" ");
    expect(args).toContain("--auth");
    expect(args).toContain("--tlsMode requireTLS");
    expect(args).toContain("--tlsDisabledProtocols TLS1_0,TLS1_1");
    expect(args).toContain("--bind_ip 0.0.0.0");
  });

  it("runs as the image's mongodb user, never root", () => {
    const spec = plain(mongoStatefulSet(mongoInput(true))).spec.template.spec;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999 });
    expect(spec.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false });
  });

  it("grants the admin user dbOwner on OpenTwin's databases (installer's db_admin.js)", () => {
    expectGolden("mongodb-init.js", mongoInitScript());
    for (const db of ["ProjectTemplates", "ProjectsLargeData", "System", "UserSettings", "Projects"]) {
      expect(mongoInitScript()).toContain(`{ role: "dbOwner", db: "${db}" }`);
    }
  });

  it("puts the certificate before the key in the PEM key file", () => {
    expect(certificateAndKey("CERT", "KEY\n")).toBe("CERT\nKEY\n");
  });
});

describe("OpenTwin manifests", () => {
  const dev = devArgs();
  const endpoints = openTwinEndpoints({ ...dev, ports: portsOf(dev.services), ldsReplicas: 1, mongodbPort: 27017 });
  const input = (checksum: string): WorkloadInput => ({
    namespace: "opentwin",
    windowsBuild: "ltsc2022",
    image: dev.image,
    publicHost: dev.publicHost,
    fileLogging: false,
    endpoints,
    cpu: "500m",
    memory: "1Gi",
    replicas: 1,
    certificateChecksum: checksum,
    timeoutSeconds: 2700,
  });

  it("changes the pod template (and so rolls the pods) when the certificate checksum changes", () => {
    const before = plain(serviceDeployment("gss", 8091, input("sha256-old"))).spec.template;
    const after = plain(serviceDeployment("gss", 8091, input("sha256-new"))).spec.template;
    expect(before.metadata.annotations["opentwin.io/certificate-checksum"]).toBe("sha256-old");
    expect(after.metadata.annotations["opentwin.io/certificate-checksum"]).toBe("sha256-new");
    expect(JSON.stringify(before)).not.toBe(JSON.stringify(after));
  });

  it("enforces Pod Security baseline on the namespace", () => {
    expect(plain(namespaceManifest("opentwin")).metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
  });

  it("selects the exact Windows build through the RuntimeClass as well", () => {
    for (const build of ["ltsc2019", "ltsc2022", "ltsc2025"] as const) {
      const rc = plain(runtimeClassManifest(build));
      expect(rc.metadata.name).toBe(`windows-${build}`);
      expect(rc.handler).toBe("runhcs-wcow-process");
      expect(rc.scheduling.nodeSelector["node.kubernetes.io/windows-build"]).toMatch(/^10\.0\.\d+$/);
    }
  });

  it("gives the LDS a configuration that parses and names the image's launcher", () => {
    const config = JSON.parse(ldsConfiguration()) as Json;
    expect(config.LauncherPath).toBe("C:\\opentwin\\open_twin.exe");
    expect(config.SupportedServices).toContain("RelayService");
    expect(OPENTWIN_SERVICE_NAMES).toContain("lds");
  });
});
