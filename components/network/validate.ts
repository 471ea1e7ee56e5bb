/** Checks of Flannel's values, all at once, one message per problem naming the argument. Pure. */
import { imageTag } from "../lib/images";
import { WINDOWS_VXLAN } from "../lib/catalog";
import { overlaps, parseCidr } from "../lib/cidr";
import type { FlannelValues } from "./types";

const MAX_VNI = 16_777_215;

export function flannelProblems(values: FlannelValues): string[] {
  const problems: string[] = [];
  const pod = parseCidr(values.podCidr);
  const service = parseCidr(values.serviceCidr);
  if (pod === undefined) problems.push(`podCidr: "${values.podCidr}" is not an IPv4 network in CIDR form`);
  if (service === undefined) problems.push(`serviceCidr: "${values.serviceCidr}" is not an IPv4 network in CIDR form`);
  if (pod !== undefined && service !== undefined && overlaps(pod, service)) {
    problems.push(`serviceCidr: ${values.serviceCidr} overlaps podCidr ${values.podCidr}`);
  }
  if (!Number.isInteger(values.vni) || values.vni < 1 || values.vni > MAX_VNI) {
    problems.push(`vni: ${values.vni} is not a VXLAN network identifier (1..${MAX_VNI})`);
  } else if (values.windows.enabled && values.vni < WINDOWS_VXLAN.minimumVni) {
    problems.push(`vni: ${values.vni} is below ${WINDOWS_VXLAN.minimumVni}, the smallest VNI Windows accepts`);
  }
  if (values.windows.enabled && values.port !== WINDOWS_VXLAN.port) {
    problems.push(`port: ${values.port} is not ${WINDOWS_VXLAN.port}, the only VXLAN port Windows accepts`);
  } else if (!Number.isInteger(values.port) || values.port < 1 || values.port > 65535) {
    problems.push(`port: ${values.port} is not a UDP port`);
  }
  if (values.apiServer.host.trim() === "") problems.push("apiServer.host: empty");
  if (!Number.isInteger(values.apiServer.port) || values.apiServer.port < 1 || values.apiServer.port > 65535) {
    problems.push(`apiServer.port: ${values.apiServer.port} is not a TCP port`);
  }
  for (const [key, image] of Object.entries(values.images)) {
    if (image.trim() === "") problems.push(`images.${key}: empty`);
  }
  const version = values.kubernetesVersion.replace(/^v/, "");
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    problems.push(`kubernetesVersion: "${values.kubernetesVersion}" is not a version like 1.34.4`);
  } else if (values.windows.enabled && !(imageTag(values.images.windowsKubeProxy) ?? "").includes(version)) {
    problems.push(
      `images.windowsKubeProxy: tag of "${values.images.windowsKubeProxy}" does not name Kubernetes ${version}; kube-proxy must match the cluster`,
    );
  }
  for (const os of ["linux", "windows"] as const) {
    const seconds = values.timeoutSeconds[os];
    if (!Number.isInteger(seconds) || seconds < 60) problems.push(`timeoutSeconds.${os}: ${seconds} is shorter than 60 seconds`);
  }
  return problems;
}

