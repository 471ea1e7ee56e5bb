/** Checks OpenTwin's arguments once and reports every problem in one error. */
import { OPENTWIN_SERVICE_NAMES, type OpenTwinServiceName, type WindowsBuildName, windowsBuildOfTag } from "../lib/catalog";
import { imageTag } from "../lib/images";
import { ldsInstances } from "./endpoints";

export interface ValidationInput {
  readonly windowsBuild: WindowsBuildName;
  readonly image: string;
  readonly publicHost: string;
  readonly services: Record<OpenTwinServiceName, { readonly port: number; readonly replicas: number }>;
  readonly ldsPortWindow: number;
  readonly mongodbPort: number;
  readonly workloadMinutes: number;
}

/** Services that may run more than one replica: AUTH is stateless; each LDS replica is its own instance. */
export const SCALABLE_SERVICES: readonly OpenTwinServiceName[] = ["auth", "lds"];

export function openTwinArgProblems(input: ValidationInput): string[] {
  const problems: string[] = [];
  const tag = imageTag(input.image);
  const tagBuild = tag === undefined ? undefined : windowsBuildOfTag(tag);
  if (tagBuild !== input.windowsBuild) {
    problems.push(`image "${input.image}": its tag must name the workers' Windows build ${input.windowsBuild} (found ${tagBuild ?? "none"})`);
  }
  if (input.publicHost.trim() === "") problems.push("publicHost: must not be empty");
  for (const service of OPENTWIN_SERVICE_NAMES) {
    const { port, replicas } = input.services[service];
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`services.${service}.port: ${port} is not a TCP port`);
    if (!Number.isInteger(replicas) || replicas < 0) problems.push(`services.${service}.replicas: ${replicas} must be a whole number >= 0`);
    else if (replicas > 1 && !SCALABLE_SERVICES.includes(service)) {
      problems.push(`services.${service}.replicas: ${replicas}; only ${SCALABLE_SERVICES.join(" and ")} may run more than one replica`);
    }
  }
  if (!Number.isInteger(input.ldsPortWindow) || input.ldsPortWindow < 1) problems.push(`ldsPortWindow: ${input.ldsPortWindow} must be a whole number >= 1`);
  if (!Number.isInteger(input.workloadMinutes) || input.workloadMinutes < 1) problems.push(`workloadMinutes: ${input.workloadMinutes} must be a whole number >= 1`);
  if (problems.length > 0) return problems;

  const owners = new Map<number, string>();
  const claim = (port: number, owner: string) => {
    const other = owners.get(port);
    if (other !== undefined) problems.push(`port ${port} is used by both ${other} and ${owner}`);
    else owners.set(port, owner);
    if (port > 65535) problems.push(`${owner}: port ${port} is above 65535`);
  };
  claim(input.mongodbPort, "mongodb");
  for (const service of OPENTWIN_SERVICE_NAMES) if (service !== "lds") claim(input.services[service].port, service);
  const instances = ldsInstances({ publicHost: input.publicHost, ports: portsOf(input.services), ldsReplicas: input.services.lds.replicas, ldsPortWindow: input.ldsPortWindow });
  for (const instance of instances) {
    claim(instance.port, instance.name);
    for (const port of instance.windowPorts) claim(port, `${instance.name}'s port window`);
  }
  return problems;
}

export function portsOf(services: Record<OpenTwinServiceName, { readonly port: number }>): Record<OpenTwinServiceName, number> {
  return Object.fromEntries(OPENTWIN_SERVICE_NAMES.map((s) => [s, services[s].port])) as Record<OpenTwinServiceName, number>;
}
