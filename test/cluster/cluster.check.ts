/**
 * Issue 4: the e2e stack (existing cluster, supplied PKI, Flannel on) deployed with the real engine
 * onto the kwok loopback cluster (scripts/cluster/up.sh), checked against the live API, re-run for
 * no changes, exported, destroyed. Cleans up (destroy, leftover PV, cluster stop) even when a step fails.
 */
import { X509Certificate, createPrivateKey } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkServerIdentity } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WINDOWS_BUILDS, OPENTWIN_SERVICE_NAMES, type WindowsBuildName } from "../../components/lib/catalog";
import { CERTIFICATE_FILES } from "../../components/opentwin/constants";
import { servicePort } from "../../infra/config/derived";
import { renderStackFile } from "../../tools/render/render";
import { get, kubectl, list, startCluster, stopCluster, type KubeObject, type RunningCluster } from "../../tools/e2e/cluster";
import { applyInputs, generateInputs, middleLine, parsedStack, renderInput, sentinels, type E2eInputs } from "../../tools/e2e/inputs";
import { declaredObjects, describeObject, kubectlResource, type DeclaredObject } from "../../tools/e2e/objects";
import { issue, makeCa } from "../../tools/e2e/pki";
import { makeProject, type PulumiResult, type TempProject } from "../../tools/e2e/project";
import { handshake } from "../../tools/e2e/tlsMatrix";
import { leaks } from "../../tools/e2e/urns";

const config = parsedStack("e2e");
const NS = config.opentwin.namespace;
const FLANNEL_NS = "kube-flannel";
const MONGO_PV = "opentwin-mongodb-data";
const work = mkdtempSync(join(tmpdir(), "opentwin-cluster-"));
const outputs: string[] = [];
let cluster: RunningCluster | undefined;
let project: TempProject | undefined;
let inputs: E2eInputs;
let declared: DeclaredObject[] = [];
let planned = 0;
let up: PulumiResult;
let destroyed = false;

const timings: string[] = [];
const record = (result: PulumiResult, step?: string) => {
  outputs.push(result.stdout, result.stderr);
  if (step !== undefined) timings.push(`${step} ${result.seconds.toFixed(1)}s`);
  return result;
};
const kc = () => cluster!.kubeconfigPath;
const decode = (secret: KubeObject, key: string) => Buffer.from(secret.data?.[key] ?? "", "base64").toString("utf8");

beforeAll(async () => {
  cluster = startCluster();
  inputs = generateInputs(work, cluster.kubeconfig, [{ path: ["cluster", "apiServer"], value: cluster.apiServer }]);
  project = makeProject("e2e", "opentwin-e2e-cluster");
  applyInputs(project, inputs);
  const rendered = await renderStackFile(renderInput(inputs), "e2e");
  declared = declaredObjects(rendered.files);
  planned = rendered.summary.resources + 1; // + the stack
  up = record(project.pulumi("up", ["--skip-preview"]), "up");
});

afterAll(() => {
  console.log(`pulumi timings: ${timings.join(", ")}`);
  try {
    if (project !== undefined && !destroyed) record(project.pulumi("destroy"));
    if (cluster !== undefined) kubectl(kc(), ["delete", "persistentvolume", MONGO_PV, "--ignore-not-found", "--wait=false"]);
  } finally {
    project?.remove();
    stopCluster();
    rmSync(work, { recursive: true, force: true });
  }
});

describe("pulumi up onto the kwok cluster", () => {
  it("creates every resource of the stack", () => {
    expect(up.stderr).not.toMatch(/error:/);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(new RegExp(`\\+ ${planned} created`));
  });

  it("every object the program declares exists in the live API", () => {
    expect(declared.length).toBeGreaterThan(40);
    const missing = declared.filter((o) => get(kc(), kubectlResource(o), o.name, o.namespace) === undefined).map(describeObject);
    expect(missing).toEqual([]);
  });
});

describe("scheduling", () => {
  const build = WINDOWS_BUILDS[config.windowsWorkers.windowsBuild as WindowsBuildName].build;
  let nodes: KubeObject[];
  let pods: KubeObject[];
  const names = (list: KubeObject[]) => list.map((o) => o.metadata.name).sort();
  const nodesOf = (list: KubeObject[]) => [...new Set(list.map((p) => p.spec.nodeName as string))].sort();
  const windowsNodes = () => nodes.filter((n) => n.metadata.labels?.["kubernetes.io/os"] === "windows");
  const rightBuild = () => names(windowsNodes().filter((n) => n.metadata.labels?.["node.kubernetes.io/windows-build"] === build));
  const ownedBy = (kind: string, name: string) => (p: KubeObject) => p.metadata.ownerReferences?.some((o) => o.kind === kind && o.name === name) ?? false;

  beforeAll(() => {
    nodes = list(kc(), "nodes");
    pods = [...list(kc(), "pods", NS), ...list(kc(), "pods", FLANNEL_NS)];
  });

  it("the cluster has the Windows node of another build that must stay empty", () => {
    expect(rightBuild()).toEqual(["otwin1", "otwin2"]);
    expect(names(windowsNodes())).toContain("otwin-old");
  });

  it("every pod is scheduled and Running", () => {
    expect(pods.length).toBeGreaterThan(10);
    expect(pods.filter((p) => !p.spec.nodeName || p.status.phase !== "Running").map((p) => p.metadata.name)).toEqual([]);
  });

  it("OpenTwin services run only on the Windows workers of the stack's build, every workload ready", () => {
    const services = pods.filter((p) => p.metadata.namespace === NS && !p.metadata.name.startsWith("mongodb"));
    expect(services.length).toBe(OPENTWIN_SERVICE_NAMES.length);
    for (const node of nodesOf(services)) expect(rightBuild()).toContain(node);
    const workloads = [...list(kc(), "deployments", NS), ...list(kc(), "statefulsets", NS)];
    expect(workloads.filter((w) => (w.status.readyReplicas ?? 0) !== w.spec.replicas).map((w) => w.metadata.name)).toEqual([]);
  });

  it("MongoDB runs only on the Linux node the stack names", () => {
    const mongo = pods.filter((p) => p.metadata.namespace === NS && p.metadata.name.startsWith("mongodb"));
    expect(mongo.length).toBe(1);
    expect(nodesOf(mongo)).toEqual([config.cluster.mongoNode]);
    expect(nodes.find((n) => n.metadata.name === config.cluster.mongoNode)?.metadata.labels?.["kubernetes.io/os"]).toBe("linux");
  });

  it("Windows networking DaemonSets run on every Windows node of the stack's build and nowhere else (they select the build: otwin-old gets none)", () => {
    const windowsSets = list(kc(), "daemonsets", FLANNEL_NS).filter((d) => d.spec.template.spec.nodeSelector?.["kubernetes.io/os"] === "windows");
    expect(names(windowsSets)).toEqual(["kube-flannel-ds-windows", "kube-proxy-windows"]);
    for (const set of windowsSets) {
      expect(set.spec.template.spec.nodeSelector["node.kubernetes.io/windows-build"]).toBe(build);
      expect(nodesOf(pods.filter(ownedBy("DaemonSet", set.metadata.name)))).toEqual(rightBuild());
      expect([set.status.desiredNumberScheduled, set.status.numberReady]).toEqual([rightBuild().length, rightBuild().length]);
    }
  });

  it("the Linux Flannel DaemonSet runs on every Linux node (control plane included)", () => {
    const linux = names(nodes.filter((n) => n.metadata.labels?.["kubernetes.io/os"] === "linux"));
    expect(linux).toEqual(["otcp1", "otlnx1"]);
    expect(nodesOf(pods.filter(ownedBy("DaemonSet", "kube-flannel-ds")))).toEqual(linux);
  });
});

describe("Services and Secrets", () => {
  const service = (name: string) => get(kc(), "service", name, NS)!;
  const ports = (s: KubeObject) => (s.spec.ports as { port: number }[]).map((p) => p.port).sort((a, b) => a - b);

  it("Services publish the ports and external IPs the stack says", () => {
    for (const name of OPENTWIN_SERVICE_NAMES) {
      const live = service(name === "lds" ? "lds-0" : name);
      const port = servicePort(config, name);
      expect(ports(live), name).toContain(port);
      expect(live.spec.externalIPs, name).toEqual(config.opentwin.externalIPs);
    }
    const ldsPort = servicePort(config, "lds");
    const window = Array.from({ length: config.opentwin.ldsPortWindow }, (_, i) => ldsPort + 1 + i);
    expect(ports(service("lds-0"))).toEqual([ldsPort, ...window]);
    expect(ports(service("mongodb"))).toEqual([config.mongodb.port]);
  });

  it("each certificate Secret holds PEM that parses, chains to the CA, covers its clients' names and IPs, has serverAuth+clientAuth and its own key", () => {
    for (const s of inputs.services) {
      const secret = get(kc(), "secret", `${s.name}-tls`, NS)!;
      const ca = new X509Certificate(decode(secret, CERTIFICATE_FILES.ca));
      const certificate = new X509Certificate(decode(secret, CERTIFICATE_FILES.certificate));
      expect(ca.ca, s.name).toBe(true);
      expect(certificate.checkIssued(ca) && certificate.verify(ca.publicKey), s.name).toBe(true);
      for (const host of [...s.dnsNames, ...s.ipAddresses]) expect(checkServerIdentity(host, certificate.toLegacyObject()), `${s.name} ${host}`).toBeUndefined();
      expect(certificate.keyUsage, s.name).toEqual(expect.arrayContaining(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]));
      expect(certificate.checkPrivateKey(createPrivateKey(decode(secret, CERTIFICATE_FILES.privateKey))), s.name).toBe(true);
    }
  });

  it("MongoDB's PEM key file holds its certificate and its key", () => {
    const pem = decode(get(kc(), "secret", "mongodb-tls", NS)!, CERTIFICATE_FILES.certificateAndKey);
    const certificate = new X509Certificate(pem);
    expect(pem).toContain("-----BEGIN RSA PRIVATE KEY-----");
    expect(certificate.checkPrivateKey(createPrivateKey(pem))).toBe(true);
    expect(certificate.subject).toContain("CN=opentwin-mongodb");
  });
});

describe("mutual-TLS handshake matrix with the certificates read back from the cluster", () => {
  const pair = (name: string) => {
    const secret = get(kc(), "secret", `${name}-tls`, NS)!;
    return { certificate: decode(secret, CERTIFICATE_FILES.certificate), privateKey: decode(secret, CERTIFICATE_FILES.privateKey), ca: decode(secret, CERTIFICATE_FILES.ca) };
  };
  const gssName = () => inputs.services.find((s) => s.name === "gss")!.dnsNames[0]!;

  it("every service certificate is accepted as a client, by every service as server, at every DNS name its clients dial", async () => {
    const refused: string[] = [];
    for (const server of inputs.services) {
      const s = pair(server.name);
      for (const servername of server.dnsNames) {
        const client = pair(inputs.services[(inputs.services.indexOf(server) + 1) % inputs.services.length]!.name);
        const result = await handshake({ server: s, client, ca: s.ca, servername });
        if (!result.accepted) refused.push(`${server.name}@${servername}: ${result.error} / ${result.serverError}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it("rejects: no client certificate, another CA, expired, not yet valid; the client refuses a name not in the SANs; TLS 1.1 is refused", async () => {
    const server = pair("gss");
    const auth = inputs.services.find((s) => s.name === "auth")!;
    const sameCa = { ...inputs.ca, dir: join(work, "ca") };
    const day = 86_400_000;
    const expired = issue(sameCa, { name: "auth-expired", commonName: auth.commonName, dnsNames: auth.dnsNames, bits: 2048, notBefore: new Date(Date.now() - 3 * day), notAfter: new Date(Date.now() - day) });
    const future = issue(sameCa, { name: "auth-future", commonName: auth.commonName, dnsNames: auth.dnsNames, bits: 2048, notBefore: new Date(Date.now() + day), notAfter: new Date(Date.now() + 30 * day) });
    const foreign = issue(makeCa(join(work, "other-ca"), "Another CA", 2048), { name: "auth-foreign", commonName: auth.commonName, dnsNames: auth.dnsNames, bits: 2048 });
    const valid = pair("auth");
    const run = (client: { certificate?: string; privateKey?: string }, extra: Partial<Parameters<typeof handshake>[0]> = {}) =>
      handshake({ server, client, ca: server.ca, servername: gssName(), ...extra });

    expect((await run(valid)).accepted).toBe(true);
    const outcomes = {
      noClientCertificate: await run({}),
      otherCa: await run(foreign),
      expired: await run(expired),
      notYetValid: await run(future),
      nameNotInSans: await run(valid, { servername: "not-a-san.example.test" }),
      tls11: await run(valid, { clientVersions: { min: "TLSv1.1", max: "TLSv1.1" } }),
    };
    console.log(`TLS matrix: ${JSON.stringify(Object.fromEntries(Object.entries(outcomes).map(([k, r]) => [k, { accepted: r.accepted, client: r.error, server: r.serverError }])))}`);
    expect(Object.entries(outcomes).filter(([, r]) => r.accepted).map(([name]) => name)).toEqual([]);
    expect(outcomes.nameNotInSans.error).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(outcomes.tls11.serverError ?? outcomes.tls11.error).toMatch(/PROTOCOL|VERSION/i);
    expect(outcomes.expired.serverError).toBe("CERT_HAS_EXPIRED");
    expect(outcomes.notYetValid.serverError).toBe("CERT_NOT_YET_VALID");
    expect(outcomes.otherCa.serverError).toMatch(/UNABLE_TO|SIGNATURE|ISSUER/);
  });
});

describe("second run, state and destroy", () => {
  it("a second pulumi up changes nothing, and preview --expect-no-changes succeeds", () => {
    const again = record(project!.pulumi("up", ["--expect-no-changes", "--skip-preview"]), "second up");
    expect(again.code, again.stdout.slice(-2000)).toBe(0);
    const preview = record(project!.pulumi("preview", ["--expect-no-changes", "--diff"]), "preview --expect-no-changes");
    expect(preview.code, preview.stdout.slice(-2000)).toBe(0);
  });

  it("the exported state, the CLI output and the stack file hold no private key, password or kubeconfig credential in clear", () => {
    const exported = record(project!.pulumi("stack", ["export"]));
    expect(exported.code).toBe(0);
    const clientKey = Buffer.from(cluster!.clientKeyData, "base64").toString("utf8");
    const all = sentinels(inputs, [cluster!.clientKeyData.slice(40, 100), middleLine(clientKey)]);
    // The sentinels are real: the live Secrets carry the same key line and password.
    expect(decode(get(kc(), "secret", "gss-tls", NS)!, CERTIFICATE_FILES.privateKey)).toContain(middleLine(inputs.certificates.gss!.privateKey));
    expect(decode(get(kc(), "secret", "mongodb-admin", NS)!, "password")).toBe(inputs.mongoPassword);
    expect(exported.stdout).toContain("ciphertext");
    expect(leaks(exported.stdout, all)).toEqual([]);
    expect(leaks(outputs.join("\n"), all)).toEqual([]);
    expect(leaks(project!.stackFileText(), all)).toEqual([]);
  });

  it("pulumi destroy leaves nothing of ours but MongoDB's PersistentVolume, which retainOnDelete keeps on purpose", () => {
    const destroy = record(project!.pulumi("destroy"), "destroy");
    expect(destroy.code, destroy.stdout.slice(-2000)).toBe(0);
    destroyed = true;
    const left = declared.filter((o) => get(kc(), kubectlResource(o), o.name, o.namespace) !== undefined).map(describeObject);
    expect(left).toEqual([`PersistentVolume ${MONGO_PV}`]);
    for (const namespace of [NS, FLANNEL_NS]) expect(get(kc(), "namespace", namespace)).toBeUndefined();
    kubectl(kc(), ["delete", "persistentvolume", MONGO_PV]);
    expect(get(kc(), "persistentvolume", MONGO_PV)).toBeUndefined();
  });
});
