/**
 * The Windows workloads: one Deployment per service (Logger, GSS, AUTH, LSS, GDS) and one single-replica
 * StatefulSet per LDS instance. Each LDS instance has its own port (ldsPort + i*(window+1)) written into
 * its own pod template, so probes and container ports are exact numbers and no entrypoint arithmetic is
 * needed; a StatefulSet never runs two pods of one instance at once, so two LDS never claim one window.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import type { OpenTwinServiceName, WindowsBuildName } from "../lib/catalog";
import {
  CERTIFICATE_CHECKSUM_ANNOTATION,
  CERTIFICATE_FILES,
  ENTRYPOINT_COMMAND,
  LDS_INSTANCE_LABEL,
  MONGODB_ADMIN_SECRET,
  WINDOWS_CERTIFICATE_DIR,
  certificateSecretName,
  commonLabels,
  kubernetesServiceName,
  ldsConfiguration,
  selectorLabels,
} from "./constants";
import type { LdsInstance, OpenTwinEndpoints } from "./endpoints";
import { windowsPodPlacement } from "./placement";

type EnvVar = k8s.types.input.core.v1.EnvVar;
type PodTemplate = k8s.types.input.core.v1.PodTemplateSpec;

export interface WorkloadInput {
  readonly namespace: string;
  readonly windowsBuild: WindowsBuildName;
  readonly image: string;
  readonly imagePullSecret?: string;
  readonly publicHost: string;
  readonly fileLogging: boolean;
  readonly endpoints: OpenTwinEndpoints;
  readonly cpu: string;
  readonly memory: string;
  readonly replicas: number;
  readonly certificateChecksum: pulumi.Input<string>;
  /** Annotation value for pulumi.com/timeoutSeconds (slow Windows image pulls). */
  readonly timeoutSeconds: number;
}

/** Environment of one service's container: what the entrypoint needs to build open_twin.exe's arguments. */
export function serviceEnvironment(service: OpenTwinServiceName, port: number, input: Pick<WorkloadInput, "publicHost" | "fileLogging" | "endpoints">): EnvVar[] {
  const file = (name: string) => `${WINDOWS_CERTIFICATE_DIR}\\${name}`;
  const e = input.endpoints;
  const env: EnvVar[] = [
    { name: "OPEN_TWIN_CA_CERT", value: file(CERTIFICATE_FILES.ca) },
    { name: "OPEN_TWIN_SERVER_CERT", value: file(CERTIFICATE_FILES.certificate) },
    { name: "OPEN_TWIN_SERVER_CERT_KEY", value: file(CERTIFICATE_FILES.privateKey) },
    { name: "OPEN_TWIN_CERT_KEY", value: file(CERTIFICATE_FILES.certificateAndKey) },
    { name: "OPEN_TWIN_SERVICES_ADDRESS", value: input.publicHost },
    { name: "OPEN_TWIN_SERVICE_PORT", value: String(port) },
    { name: "OPEN_TWIN_FILE_LOGGING", value: input.fileLogging ? "true" : "false" },
  ];
  // The logger logs to nobody; every other service (and every process the LDS spawns) reads the logger URL.
  if (service !== "logger") env.push({ name: "OPEN_TWIN_LOGGING_URL", value: e.internalUrl.logger });
  switch (service) {
    case "gss":
      env.push({ name: "OPEN_TWIN_MONGODB_ADDRESS", value: e.mongodbPublic }, { name: "OPEN_TWIN_AUTH_URL", value: e.ownUrl.auth });
      break;
    case "auth":
      env.push(
        { name: "OPEN_TWIN_MONGODB_ADDRESS", value: e.mongodbInternal },
        {
          name: "OPEN_TWIN_MONGODB_PWD",
          valueFrom: { secretKeyRef: { name: MONGODB_ADMIN_SECRET.name, key: MONGODB_ADMIN_SECRET.encryptedPasswordKey } },
        },
      );
      break;
    case "lss":
    case "gds":
      env.push({ name: "OPEN_TWIN_GSS_URL", value: e.internalUrl.gss });
      break;
    case "lds":
      env.push({ name: "OPEN_TWIN_GDS_URL", value: e.internalUrl.gds }, { name: "OT_LOCALDIRECTORYSERVICE_CONFIGURATION", value: ldsConfiguration() });
      break;
    case "logger":
      break;
  }
  return env;
}

/** HTTPS GET / (201 without a client certificate). Never a TCP probe: a bare connection crashes OpenTwin's handler. */
export function httpsProbe(port: number, periodSeconds: number, failureThreshold: number) {
  return { httpGet: { path: "/", port, scheme: "HTTPS" }, periodSeconds, timeoutSeconds: 10, failureThreshold };
}

export function servicePodTemplate(service: OpenTwinServiceName, port: number, windowPorts: readonly number[], labels: Record<string, string>, input: WorkloadInput): PodTemplate {
  return {
    metadata: { labels, annotations: { [CERTIFICATE_CHECKSUM_ANNOTATION]: input.certificateChecksum } },
    spec: {
      ...windowsPodPlacement(input.windowsBuild),
      ...(input.imagePullSecret === undefined ? {} : { imagePullSecrets: [{ name: input.imagePullSecret }] }),
      automountServiceAccountToken: false,
      // Importing the CA into the machine's Root store (certutil -addstore root) needs the container's administrator.
      securityContext: { windowsOptions: { runAsUserName: "ContainerAdministrator" } },
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: service,
          image: input.image,
          command: [...ENTRYPOINT_COMMAND],
          args: [service],
          env: serviceEnvironment(service, port, input),
          ports: [
            { name: "https", containerPort: port, protocol: "TCP" },
            ...windowPorts.map((p, i) => ({ name: `w-${i + 1}`, containerPort: p, protocol: "TCP" })),
          ],
          resources: { requests: { cpu: input.cpu, memory: input.memory }, limits: { memory: input.memory } },
          volumeMounts: [{ name: "certificates", mountPath: WINDOWS_CERTIFICATE_DIR, readOnly: true }],
          // Windows containers start slowly: up to 15 minutes before liveness takes over.
          startupProbe: httpsProbe(port, 10, 90),
          readinessProbe: httpsProbe(port, 10, 3),
          livenessProbe: httpsProbe(port, 20, 6),
        },
      ],
      volumes: [{ name: "certificates", secret: { secretName: certificateSecretName(service) } }],
    },
  };
}

function workloadMetadata(name: string, component: string, input: WorkloadInput, extraLabels: Record<string, string> = {}) {
  return {
    name,
    namespace: input.namespace,
    labels: { ...commonLabels(component), ...extraLabels },
    annotations: { "pulumi.com/timeoutSeconds": String(input.timeoutSeconds) },
  };
}

/** Logger, GSS, AUTH, LSS, GDS. Only AUTH is stateless: the others are recreated, never run twice at once. */
export function serviceDeployment(service: Exclude<OpenTwinServiceName, "lds">, port: number, input: WorkloadInput): k8s.types.input.apps.v1.Deployment {
  const labels = commonLabels(service);
  const strategy =
    service === "auth" ? { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } : { type: "Recreate" };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: workloadMetadata(kubernetesServiceName(service), service, input),
    spec: {
      replicas: input.replicas,
      strategy,
      selector: { matchLabels: selectorLabels(service) },
      template: servicePodTemplate(service, port, [], labels, input),
    },
  };
}

/** Headless name that governs every LDS instance's StatefulSet. */
export const LDS_GOVERNING_SERVICE = kubernetesServiceName("lds");

export function ldsStatefulSet(instance: LdsInstance, input: WorkloadInput): k8s.types.input.apps.v1.StatefulSet {
  const instanceLabel = { [LDS_INSTANCE_LABEL]: String(instance.ordinal) };
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: workloadMetadata(instance.name, "lds", input, instanceLabel),
    spec: {
      replicas: 1,
      serviceName: LDS_GOVERNING_SERVICE,
      podManagementPolicy: "OrderedReady",
      selector: { matchLabels: { ...selectorLabels("lds"), ...instanceLabel } },
      template: servicePodTemplate("lds", instance.port, instance.windowPorts, { ...commonLabels("lds"), ...instanceLabel }, input),
    },
  };
}
