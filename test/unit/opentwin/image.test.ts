import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WINDOWS_BUILDS, WINDOWS_BUILD_NAMES, OPENTWIN_SERVICE_NAMES } from "../../../components/lib/catalog";
import { ENTRYPOINT_COMMAND, SERVICE_ARGUMENTS, SERVICE_DLLS } from "../../../components/opentwin/constants";
import { openTwinEndpoints } from "../../../components/opentwin/endpoints";
import { portsOf } from "../../../components/opentwin/validate";
import { serviceEnvironment } from "../../../components/opentwin/workloads";
import { parsePowerShell } from "../../../tools/checks/powershellParser";
import { renderOpenTwinDockerfile } from "../../../images/opentwin/dockerfile";
import { devArgs } from "./devValues";

const IMAGE_DIR = join(__dirname, "..", "..", "..", "images", "opentwin");
const read = (file: string) => readFileSync(join(IMAGE_DIR, file), "utf8");
const entrypoint = read("entrypoint.ps1");

function instructions(dockerfile: string): { op: string; rest: string }[] {
  const joined = dockerfile.replace(/`\n/g, " ");
  return joined
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((l) => {
      const [op, ...rest] = l.trim().split(" ");
      return { op: op!.toUpperCase(), rest: rest.join(" ") };
    });
}

describe("Dockerfile", () => {
  it("the committed Dockerfile is the renderer's ltsc2022 output", () => {
    expect(read("Dockerfile")).toBe(renderOpenTwinDockerfile({ windowsBuild: "ltsc2022" }));
  });

  it.each(WINDOWS_BUILD_NAMES)("%s: FROM servercore of that build, ENTRYPOINT a JSON array naming the entrypoint", (build) => {
    const ops = instructions(renderOpenTwinDockerfile({ windowsBuild: build }));
    const from = ops.filter((o) => o.op === "FROM");
    expect(from).toEqual([{ op: "FROM", rest: `mcr.microsoft.com/windows/servercore:${WINDOWS_BUILDS[build].servercoreTag}` }]);
    const entry = ops.filter((o) => o.op === "ENTRYPOINT");
    expect(entry).toHaveLength(1);
    const parsed = JSON.parse(entry[0]!.rest) as unknown;
    expect(parsed).toEqual(ENTRYPOINT_COMMAND);
  });

  it("copies nothing from Certificates and no key file", () => {
    const copies = instructions(read("Dockerfile")).filter((o) => o.op === "COPY" || o.op === "ADD");
    expect(copies.length).toBeGreaterThan(0);
    for (const c of copies) expect(c.rest).not.toMatch(/certificates|key/i);
  });

  it(".dockerignore keeps the Certificates folder and key files out of the build context", () => {
    const patterns = read(".dockerignore").split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    expect(patterns).toContain("Certificates");
    expect(patterns).toContain("**/Certificates/**");
    expect(patterns).toContain("**/*key*.pem");
  });
});

describe("entrypoint.ps1", () => {
  it("parses without syntax errors", async () => {
    expect((await parsePowerShell(entrypoint)).problems).toEqual([]);
  });

  it("imports the CA into the Root store before starting the service", () => {
    const importAt = entrypoint.indexOf("certutil.exe -f -addstore Root");
    expect(importAt).toBeGreaterThan(0);
    expect(importAt).toBeLessThan(entrypoint.indexOf("[System.Diagnostics.Process]::Start"));
    expect(entrypoint).toContain("exit $code");
  });

  const psExpression = (arg: string) =>
    arg === "own" ? "$ownUrl" : arg.startsWith("env:") ? `(Get-Required '${arg.slice(4)}')` : `'${arg}'`;

  it.each(OPENTWIN_SERVICE_NAMES)("%s: builds the arguments of OpenTwin's launcher table", (service) => {
    const expected = [`'${SERVICE_DLLS[service]}'`, ...SERVICE_ARGUMENTS[service].map(psExpression)].join(", ");
    expect(entrypoint).toContain(`'${service}' { $arguments = @(${expected}) }`);
  });

  it.each(OPENTWIN_SERVICE_NAMES)("%s: every variable the entrypoint requires is in the container's environment", (service) => {
    const dev = devArgs();
    const endpoints = openTwinEndpoints({ ...dev, ports: portsOf(dev.services), ldsReplicas: 1, mongodbPort: 27017 });
    const env = new Set(serviceEnvironment(service, 1, { ...dev, endpoints }).map((e) => e.name));
    const common = ["OPEN_TWIN_CA_CERT", "OPEN_TWIN_SERVER_CERT", "OPEN_TWIN_SERVER_CERT_KEY", "OPEN_TWIN_CERT_KEY", "OPEN_TWIN_SERVICES_ADDRESS", "OPEN_TWIN_SERVICE_PORT"];
    const perService = SERVICE_ARGUMENTS[service].filter((a) => a.startsWith("env:")).map((a) => a.slice(4));
    for (const name of [...common, ...perService]) expect(env.has(name), name).toBe(true);
    if (service === "lds") expect(env.has("OT_LOCALDIRECTORYSERVICE_CONFIGURATION")).toBe(true);
  });
});
