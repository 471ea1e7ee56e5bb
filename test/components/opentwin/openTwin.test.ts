import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { isSecretValue, redactSecrets, runUnderMocks, type RecordedResource } from "../../../tools/render/mockRuntime";
import { DEV_PASSWORD, DEV_PASSWORD_ENCRYPTED, devArgs } from "../../unit/opentwin/devValues";
import { expectGolden as expectGoldenFile } from "../../support/golden";
const expectGolden = (file: string, actual: string) => expectGoldenFile(`opentwin/${file}`, actual);
import { findKeys, podTemplateOf } from "../../unit/opentwin/podChecks";

type Json = Record<string, any>;
const opts = new Map<string, { protect?: boolean; retainOnDelete?: boolean; customTimeouts?: unknown; provider?: unknown }>();
let resources: RecordedResource[] = [];
const failures: Record<string, unknown> = {};

beforeAll(async () => {
  resources = await runUnderMocks({ project: "opentwin", stack: "dev" }, async () => {
    const pulumi = await import("@pulumi/pulumi");
    const k8s = await import("@pulumi/kubernetes");
    const { OpenTwin } = await import("../../../components/opentwin/openTwin");
    pulumi.runtime.registerStackTransformation((t) => {
      opts.set(t.name, t.opts as never);
      return undefined;
    });
    const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
    const secretArgs = () => {
      const a = devArgs();
      const certificates = Object.fromEntries(Object.entries(a.certificates).map(([k, c]) => [k, { ...c, privateKey: pulumi.secret(c.privateKey as string) }]));
      return {
        ...a,
        certificates: certificates as unknown as typeof a.certificates,
        mongodb: { ...a.mongodb, adminPassword: pulumi.secret(DEV_PASSWORD), adminPasswordEncrypted: pulumi.secret(DEV_PASSWORD_ENCRYPTED) },
      };
    };
    new OpenTwin("opentwin", secretArgs(), { provider });
    const scaled = secretArgs();
    new OpenTwin(
      "scaled",
      {
        ...scaled,
        services: { ...scaled.services, auth: { ...scaled.services.auth, replicas: 2 }, lds: { ...scaled.services.lds, replicas: 2 } },
        podDisruptionBudgets: true,
        protectData: true,
        workloadMinutes: 90,
      },
      { provider },
    );
    try {
      new OpenTwin("no-provider", secretArgs());
    } catch (error) {
      failures.provider = error;
    }
    try {
      new OpenTwin("bad", { ...secretArgs(), image: "registry/opentwin:2.0.0-ltsc2025" }, { provider });
    } catch (error) {
      failures.validation = error;
    }
  });
});

const OT = "opentwin:opentwin:OpenTwin::";
const MONGO = "opentwin:opentwin:MongoDb::";
/** Kubernetes objects of one OpenTwin component, its MongoDb child included. */
const objectsOf = (name: string) =>
  resources.filter((r) => r.type.startsWith("kubernetes:") && (r.parent === `${OT}${name}` || r.parent === `${MONGO}${name}-mongodb`));
const inputs = (r: RecordedResource) => r.inputs as Json;
const workloads = (name: string) => objectsOf(name).filter((r) => r.type === "kubernetes:apps/v1:Deployment" || r.type === "kubernetes:apps/v1:StatefulSet");
const windowsWorkloads = (name: string) => workloads(name).filter((r) => podTemplateOf(r.inputs)?.spec?.os?.name === "windows");

describe("OpenTwin under mocks: golden manifests", () => {
  it("lists every object of the dev deployment", () => {
    const list = objectsOf("opentwin").map((r) => `${r.type} ${r.name} ${inputs(r).metadata?.name}`).join("\n") + "\n";
    expectGolden("objects.txt", list);
  });

  it("matches the golden YAML of every object (secrets shown as [secret])", () => {
    for (const r of objectsOf("opentwin")) expectGolden(`${r.name}.yaml`, stringify(redactSecrets(r.inputs), { sortMapEntries: false }));
  });
});

describe("OpenTwin under mocks: properties", () => {
  it("pins every Windows pod by os.name, its own nodeSelector, the RuntimeClass and the toleration", () => {
    expect(windowsWorkloads("opentwin")).toHaveLength(6);
    for (const w of windowsWorkloads("opentwin")) {
      const spec = podTemplateOf(w.inputs)!.spec;
      expect(spec.runtimeClassName, w.name).toBe("windows-ltsc2022");
      expect(spec.nodeSelector).toMatchObject({ "kubernetes.io/os": "windows", "node.kubernetes.io/windows-build": "10.0.20348" });
      expect(spec.tolerations).toContainEqual({ key: "os", operator: "Equal", value: "windows", effect: "NoSchedule" });
    }
  });

  it("pins every Linux pod to linux and MongoDB's node, tolerating the control plane it was placed on", () => {
    const linux = workloads("opentwin").filter((w) => podTemplateOf(w.inputs)?.spec?.os?.name !== "windows");
    expect(linux.map((w) => w.name)).toEqual(["opentwin-mongodb-statefulset"]);
    const spec = podTemplateOf(linux[0]!.inputs)!.spec;
    expect(spec.nodeSelector).toEqual({ "kubernetes.io/os": "linux", "kubernetes.io/hostname": "otcp1" });
    expect(spec.tolerations).toEqual([{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }]);
  });

  it("runs nothing privileged, HostProcess or on the host network, and never probes with tcpSocket", () => {
    for (const w of workloads("opentwin")) {
      const template = podTemplateOf(w.inputs)!;
      expect(findKeys(template, "privileged").filter((v) => v !== false), w.name).toEqual([]);
      expect(findKeys(template, "hostProcess"), w.name).toEqual([]);
      expect(findKeys(template, "hostNetwork"), w.name).toEqual([]);
    }
    expect(findKeys(objectsOf("opentwin").map((r) => r.inputs), "tcpSocket")).toEqual([]);
  });

  it("matches container ports, probe ports and Service ports to the configured ports", () => {
    const args = devArgs();
    const service = (name: string) => inputs(objectsOf("opentwin").find((r) => r.type === "kubernetes:core/v1:Service" && inputs(r).metadata.name === name)!);
    for (const name of ["logger", "gss", "auth", "lss", "gds"] as const) {
      const port = args.services[name].port;
      const container = podTemplateOf(workloads("opentwin").find((w) => w.name === `opentwin-${name}`)!.inputs)!.spec.containers[0];
      expect(container.ports.map((p: Json) => p.containerPort)).toEqual([port]);
      expect(container.readinessProbe.httpGet).toEqual({ path: "/", port, scheme: "HTTPS" });
      expect(service(name).spec.ports).toEqual([{ name: "https", port, targetPort: port, protocol: "TCP" }]);
      expect(service(name).spec.externalIPs).toEqual(["192.168.50.21"]);
    }
    const lds = service("lds-0").spec.ports.map((p: Json) => [p.port, p.targetPort]);
    expect(lds).toEqual(Array.from({ length: 21 }, (_, i) => [9095 + i, 9095 + i]));
  });

  it("gives each pod its certificate's checksum and mounts its Secret read-only", () => {
    for (const w of windowsWorkloads("opentwin")) {
      const template = podTemplateOf(w.inputs)!;
      const service = template.spec.containers[0].args[0] as string;
      expect(template.metadata.annotations["opentwin.io/certificate-checksum"]).toBe(`sha256-${service}-1`);
      expect(template.spec.containers[0].volumeMounts).toEqual([{ name: "certificates", mountPath: "C:\\opentwin-certificates", readOnly: true }]);
      expect(template.spec.volumes).toEqual([{ name: "certificates", secret: { secretName: `${service}-tls` } }]);
    }
  });

  it("keeps every Secret's data secret, and no password appears in any other input", () => {
    const secrets = objectsOf("opentwin").filter((r) => r.type === "kubernetes:core/v1:Secret");
    expect(secrets).toHaveLength(8);
    for (const s of secrets) expect(isSecretValue(s.inputs.stringData), s.name).toBe(true);
    const visible = JSON.stringify(redactSecrets(objectsOf("opentwin").map((r) => r.inputs)));
    expect(visible).not.toContain(DEV_PASSWORD);
    expect(visible).not.toContain(DEV_PASSWORD_ENCRYPTED);
    expect(visible).not.toContain("MOCK-KEY");
    const auth = podTemplateOf(workloads("opentwin").find((w) => w.name === "opentwin-auth")!.inputs)!;
    expect(auth.spec.containers[0].env).toContainEqual({
      name: "OPEN_TWIN_MONGODB_PWD",
      valueFrom: { secretKeyRef: { name: "mongodb-admin", key: "password-encrypted" } },
    });
  });

  it("keeps MongoDB's volume (Retain, retainOnDelete) and protects data only when protectData", () => {
    const pv = objectsOf("opentwin").find((r) => r.type === "kubernetes:core/v1:PersistentVolume")!;
    expect(inputs(pv).spec.persistentVolumeReclaimPolicy).toBe("Retain");
    expect(opts.get("opentwin-mongodb-volume")?.retainOnDelete).toBe(true);
    for (const role of ["volume", "claim", "statefulset"]) {
      expect(opts.get(`opentwin-mongodb-${role}`)?.protect, role).toBe(false);
      expect(opts.get(`scaled-mongodb-${role}`)?.protect, role).toBe(true);
    }
  });

  it("waits workloadMinutes for Windows workloads", () => {
    expect(opts.get("opentwin-gss")?.customTimeouts).toEqual({ create: "45m", update: "45m" });
    expect(inputs(workloads("opentwin").find((w) => w.name === "opentwin-gss")!).metadata.annotations["pulumi.com/timeoutSeconds"]).toBe("2700");
    expect(opts.get("scaled-lds-1")?.customTimeouts).toEqual({ create: "90m", update: "90m" });
  });

  it("adds PodDisruptionBudgets for AUTH and LDS only when asked and scaled, and one StatefulSet per LDS instance", () => {
    const pdbs = (name: string) => objectsOf(name).filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget").map((r) => inputs(r).metadata.name);
    expect(pdbs("opentwin")).toEqual([]);
    expect(pdbs("scaled")).toEqual(["auth", "lds"]);
    const lds = workloads("scaled").filter((w) => w.name.startsWith("scaled-lds-"));
    expect(lds.map((w) => podTemplateOf(w.inputs)!.spec.containers[0].readinessProbe.httpGet.port)).toEqual([9095, 9116]);
  });

  it("passes the caller's provider to every object", () => {
    for (const r of [...objectsOf("opentwin"), ...objectsOf("scaled")]) expect(opts.get(r.name)?.provider, r.name).toBeDefined();
  });

  it("refuses to run without a provider, and reports bad arguments", () => {
    expect(String(failures.provider)).toContain("opts.provider is required");
    expect(String(failures.validation)).toContain("its tag must name the workers' Windows build ltsc2022 (found ltsc2025)");
  });
});
