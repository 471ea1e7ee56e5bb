/**
 * Where configuration comes from: namespaces and bare keys, exact `secure:` paths from a stack file
 * (one collector for the render and a real run), and the components agreeing with what the config accepts.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { imageTag, parseImageReference } from "../../../components/lib/images";
import { flannelProblems } from "../../../components/network/validate";
import { openTwinArgProblems } from "../../../components/opentwin/validate";
import { isCpuQuantity, isMemoryQuantity, isOpenSshPublicKey } from "../../../infra/config/formats";
import { loadStack, type ConfigSource } from "../../../infra/config/load";
import { ConfigError, formatProblem } from "../../../infra/config/problems";
import { isUnderSecurePath, scanStackFile, topLevelKey } from "../../../infra/config/securePaths";
import { readStackFile, stackFileSource } from "../../../tools/render/stackFile";
import { edited, stackConfig } from "../../support/stacks";

const dev = stackConfig("dev");

function problemsOf(source: ConfigSource): string[] {
  try {
    loadStack(source, { allowMissingSecrets: true });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

/** A source whose keys are listed exactly as given (with or without a namespace). */
function listedSource(entries: Record<string, unknown>): ConfigSource {
  return {
    keys: () => Object.keys(entries),
    get: (key) => {
      const value = entries[key];
      return value === undefined ? undefined : typeof value === "string" ? value : JSON.stringify(value);
    },
    isSecretPath: () => false,
  };
}

const devEntries = Object.fromEntries(Object.entries(dev).map(([key, value]) => [`opentwin:${key}`, value]));

describe("namespaces", () => {
  it("a key in an unknown namespace is an unknown key; pulumi: and kubernetes: keys are left to their owners", () => {
    const source = listedSource({ ...devEntries, "opentwn:protectData": true, "pulumi:tags": { team: "x" }, "kubernetes:context": "c" });
    expect(problemsOf(source)).toEqual([
      'opentwn:protectData: true is not a known key (the namespace "opentwn" is unknown, a typo?); allowed: keys in the namespaces opentwin, pulumi, kubernetes',
    ]);
  });

  it("a key without a namespace is the project's, as Pulumi reads it", () => {
    const loaded = loadStack(listedSource({ ...devEntries, protectData: true }), { allowMissingSecrets: true });
    expect(loaded.config.protectData).toBe(true);
    expect(problemsOf(listedSource({ ...devEntries, protectDta: true }))[0]).toMatch(/^opentwin:protectDta: true is not a known key \(a typo\?\)/);
  });
});

function stacksDirWith(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "opentwin-stack-"));
  writeFileSync(join(dir, "Pulumi.t.yaml"), yaml);
  return dir;
}

describe("secure paths from the stack file", () => {
  const yaml = [
    "config:",
    "  protectData: true",
    "  opentwin:mongodb:",
    "    adminPassword: { secure: v1:abc }",
    "    adminPasswordEncrypted: plain-ENC",
    "  opentwin:hosts:",
    "    - { name: hv1, sshPrivateKey: { secure: v1:def } }",
    "",
  ].join("\n");

  it("the render records each secure value's exact path and passes bare keys as opentwin:<key>", () => {
    const file = readStackFile(stacksDirWith(yaml), "t");
    expect(Object.keys(file.config)).toEqual(["opentwin:protectData", "opentwin:mongodb", "opentwin:hosts"]);
    expect(file.securePaths).toEqual(["opentwin:mongodb.adminPassword", "opentwin:hosts[0].sshPrivateKey"]);
    expect(file.secretKeys).toEqual(["opentwin:mongodb", "opentwin:hosts"]);
    const source = stackFileSource(file);
    expect(source.isSecretPath("opentwin:mongodb.adminPassword")).toBe(true);
    expect(source.isSecretPath("opentwin:mongodb.adminPasswordEncrypted")).toBe(false);
  });

  it("a real run reads the same paths from the stack file on disk, and nothing when it cannot", () => {
    const dir = stacksDirWith(yaml);
    expect(scanStackFile(join(dir, "Pulumi.t.yaml"))?.securePaths).toEqual(["opentwin:mongodb.adminPassword", "opentwin:hosts[0].sshPrivateKey"]);
    expect(scanStackFile(join(dir, "Pulumi.missing.yaml"))).toBeUndefined();
  });

  it("a bare key and its namespaced twin are refused, naming both spellings (no silent merge)", () => {
    const twice = ["config:", "  mongodb:", "    port: 27018", "  opentwin:mongodb:", "    adminPassword: { secure: v1:abc }", "  protectData: true", ""].join("\n");
    const dir = stacksDirWith(twice);
    const expected = [
      'opentwin:mongodb: "(both values)" is set twice: as opentwin:mongodb and as mongodb; allowed: one entry: a key without a namespace is the project\'s, so mongodb and opentwin:mongodb are the same key',
    ];
    for (const read of [() => readStackFile(dir, "t"), () => scanStackFile(join(dir, "Pulumi.t.yaml"))]) {
      try {
        read();
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems.map(formatProblem)).toEqual(expected);
      }
    }
  });

  it("a whole secure map covers everything inside it, and nothing beside it", () => {
    expect(isUnderSecurePath(["opentwin:pki.certificates"], "opentwin:pki.certificates.gss.privateKey")).toBe(true);
    expect(isUnderSecurePath(["opentwin:hosts"], "opentwin:hosts[1].sshPrivateKey")).toBe(true);
    expect(isUnderSecurePath(["opentwin:mongodb.adminPassword"], "opentwin:mongodb.adminPasswordEncrypted")).toBe(false);
    expect(topLevelKey("opentwin:hosts[0].sshPrivateKey")).toBe("opentwin:hosts");
  });
});

describe("formats", () => {
  it.each([
    ["docker.io/library/mongo:7.0.14", { registry: "docker.io", repository: "library/mongo", tag: "7.0.14", digest: undefined }],
    ["localhost:5000/opentwin:2.0-ltsc2022", { registry: "localhost:5000", repository: "opentwin", tag: "2.0-ltsc2022", digest: undefined }],
    ["k8s/kube-proxy:v1.34.4", { registry: undefined, repository: "k8s/kube-proxy", tag: "v1.34.4", digest: undefined }],
    [`reg.example:443/a/b@sha256:${"0".repeat(64)}`, { registry: "reg.example:443", repository: "a/b", tag: undefined, digest: `sha256:${"0".repeat(64)}` }],
  ])("%s is an image reference", (image, parts) => {
    expect(parseImageReference(image)).toEqual(parts);
  });

  it.each(["Reg/opentwin:1", "reg/OpenTwin:1", "reg/opentwin", "reg/opentwin:", "reg/opentwin:-1", `reg/opentwin:${"a".repeat(129)}`, "reg/opentwin:1@sha256:AB", "reg//x:1", "reg/x:1 "])(
    "%s is not an image reference",
    (image) => expect(parseImageReference(image)).toBeUndefined(),
  );

  it("quantities: positive CPU and memory in Kubernetes notation", () => {
    expect(["500m", "2", "1.5", "0.25"].every(isCpuQuantity)).toBe(true);
    expect(["lots", "-1", "0", "0m", "1.5m", "2 ", "1e3"].some(isCpuQuantity)).toBe(false);
    expect(["512Mi", "4Gi", "1G", "1073741824", "1.5Gi"].every(isMemoryQuantity)).toBe(true);
    expect(["-4Gi", "4GB", "1 GiB", "0", "0Gi", "4gi"].some(isMemoryQuantity)).toBe(false);
  });

  it("an OpenSSH public key: known type, base64 body whose blob names the same type", () => {
    const key = String(dev.vmAccess && (dev.vmAccess as { sshPublicKey: string }).sshPublicKey);
    expect(isOpenSshPublicKey(key)).toBe(true);
    expect(isOpenSshPublicKey(key.split(" ").slice(0, 2).join(" "))).toBe(true);
    expect(isOpenSshPublicKey(key.replace("ssh-ed25519", "ssh-rsa"))).toBe(false);
    expect(isOpenSshPublicKey(key.replace("ssh-ed25519", "ssh-dss"))).toBe(false);
    expect(isOpenSshPublicKey(`${key}\nssh-ed25519 AAAA`)).toBe(false);
  });
});

describe("the components accept what the configuration accepts", () => {
  const digest = `sha256:${"ab".repeat(32)}`;

  it("OpenTwin: an image with tag and digest passes both, one with a digest only fails both", () => {
    const services = Object.fromEntries(
      Object.entries({ logger: 8090, gss: 8091, auth: 8092, lss: 8093, gds: 9094, lds: 9095 }).map(([s, port]) => [s, { port, replicas: 1 }]),
    ) as Parameters<typeof openTwinArgProblems>[0]["services"];
    const input = { windowsBuild: "ltsc2022" as const, publicHost: "h", services, ldsPortWindow: 20, mongodbPort: 27017, workloadMinutes: 45 };
    for (const [image, accepted] of [[`reg/opentwin:2.0.0-ltsc2022@${digest}`, true], [`reg/opentwin@${digest}`, false]] as const) {
      const configProblems = problemsOf(listedSource({ ...devEntries, "opentwin:opentwin": { ...(dev.opentwin as object), image } }));
      expect(configProblems.length === 0).toBe(accepted);
      expect(openTwinArgProblems({ ...input, image }).length === 0).toBe(accepted);
    }
  });

  it("Flannel: the Windows kube-proxy tag condition is the same in both", () => {
    const values = (windowsKubeProxy: string) => ({
      podCidr: "10.244.0.0/16",
      serviceCidr: "10.96.0.0/12",
      vni: 4096,
      port: 4789,
      images: { flannel: "f:1", cniPlugin: "c:1", windowsFlanneld: "w:1", windowsKubeProxy },
      apiServer: { host: "10.0.0.1", port: 6443 },
      windows: { enabled: true, build: "ltsc2022" as const },
      kubernetesVersion: "1.34.4",
      timeoutSeconds: { linux: 600, windows: 600 },
    });
    for (const image of ["reg/kube-proxy:v1.34.4", `reg/kube-proxy:v1.34.4-hostprocess@${digest}`, "reg/kube-proxy:v1.33.2", `reg/kube-proxy@${digest}`]) {
      const config = edited(dev, (c) => (c.flannel.images.windowsKubeProxy = image));
      const configOk = problemsOf(listedSource(Object.fromEntries(Object.entries(config).map(([k, v]) => [`opentwin:${k}`, v])))).length === 0;
      expect(configOk, image).toBe(flannelProblems(values(image)).length === 0);
    }
    expect(imageTag(`reg/kube-proxy@${digest}`)).toBeUndefined();
  });
});
