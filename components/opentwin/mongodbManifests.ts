/**
 * MongoDB on one Linux node: a local PersistentVolume (Retain) bound to its claim, an init script, a
 * single-replica StatefulSet running mongod with authorization and requireTLS, and its Services.
 * The official image creates the root user from MONGO_INITDB_ROOT_* and runs /docker-entrypoint-initdb.d
 * only when the data directory is empty: that is the idempotency guard of the initialisation.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import { CERTIFICATE_CHECKSUM_ANNOTATION, CERTIFICATE_FILES, MONGODB_ADMIN_SECRET, MONGODB_SERVICE_NAME, certificateSecretName, commonLabels, selectorLabels } from "./constants";
import { linuxPodPlacement } from "./placement";

type Input = {
  readonly namespace: string;
  readonly port: number;
  readonly version: string;
  readonly image: string;
  readonly imagePullSecret?: string;
  readonly storageGiB: number;
  readonly localPath: string;
  readonly cpu: string;
  readonly memory: string;
  readonly nodeName: string;
  readonly onControlPlane: boolean;
  readonly externalIPs: readonly string[];
  readonly certificateChecksum: pulumi.Input<string>;
};
export type MongoManifestInput = Input;

/** uid/gid of the `mongodb` user in the official image. */
export const MONGODB_UID = 999;
/** Databases OpenTwin's installer makes the admin user dbOwner of (Scripts/Installer/javascript/db_admin.js). */
export const OPENTWIN_DATABASES = ["ProjectTemplates", "ProjectsLargeData", "System", "UserSettings", "Projects"] as const;
export const MONGODB_ADMIN_USER = "admin";
const TLS_DIR = "/etc/mongodb/tls";
const DATA_DIR = "/data/db";
const INIT_SCRIPT = "10-opentwin-admin-roles.js";
const LABELS = commonLabels("mongodb");

export function mongoNames(namespace: string) {
  return {
    persistentVolume: `${namespace}-mongodb-data`,
    claim: "mongodb-data",
    statefulSet: "mongodb",
    headless: "mongodb-headless",
    service: MONGODB_SERVICE_NAME,
    initConfigMap: "mongodb-init",
  };
}

/** Grants the admin user (created as root by the image's entrypoint) dbOwner on OpenTwin's databases. */
export function mongoInitScript(): string {
  const roles = OPENTWIN_DATABASES.map((db) => `  { role: "dbOwner", db: "${db}" },`).join("\n");
  return [
    "// Runs once, on an empty data directory, from the official image's entrypoint.",
    `db.getSiblingDB("admin").grantRolesToUser("${MONGODB_ADMIN_USER}", [`,
    roles,
    "]);",
    "",
  ].join("\n");
}

/** mongod's arguments: authorization on, TLS 1.2+ required, listening on every interface of the pod. */
export function mongodArgs(port: number): string[] {
  return [
    "mongod",
    "--auth",
    "--bind_ip",
    "0.0.0.0",
    "--port",
    String(port),
    "--dbpath",
    DATA_DIR,
    "--tlsMode",
    "requireTLS",
    "--tlsCertificateKeyFile",
    `${TLS_DIR}/${CERTIFICATE_FILES.certificateAndKey}`,
    "--tlsCAFile",
    `${TLS_DIR}/${CERTIFICATE_FILES.ca}`,
    // The desktop front end reaches the database with a password but may present no client certificate.
    "--tlsAllowConnectionsWithoutCertificates",
    "--tlsDisabledProtocols",
    "TLS1_0,TLS1_1",
  ];
}

/** mongosh ping over TLS, verifying the server certificate (SAN localhost) against the CA; ping needs no login. */
export function mongoProbeCommand(port: number): string[] {
  return [
    "mongosh",
    "--quiet",
    "--tls",
    "--tlsCAFile",
    `${TLS_DIR}/${CERTIFICATE_FILES.ca}`,
    "--host",
    "localhost",
    "--port",
    String(port),
    "--eval",
    "quit(db.adminCommand({ ping: 1 }).ok === 1 ? 0 : 1)",
  ];
}

export function mongoPersistentVolume(input: Input): k8s.types.input.core.v1.PersistentVolume {
  const names = mongoNames(input.namespace);
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: names.persistentVolume, labels: LABELS },
    spec: {
      capacity: { storage: `${input.storageGiB}Gi` },
      accessModes: ["ReadWriteOnce"],
      volumeMode: "Filesystem",
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "",
      claimRef: { namespace: input.namespace, name: names.claim },
      local: { path: input.localPath },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [input.nodeName] }] }],
        },
      },
    },
  };
}

export function mongoClaim(input: Input): k8s.types.input.core.v1.PersistentVolumeClaim {
  const names = mongoNames(input.namespace);
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: names.claim, namespace: input.namespace, labels: LABELS },
    spec: {
      accessModes: ["ReadWriteOnce"],
      volumeMode: "Filesystem",
      storageClassName: "",
      volumeName: names.persistentVolume,
      resources: { requests: { storage: `${input.storageGiB}Gi` } },
    },
  };
}

export function mongoInitConfigMap(input: Input): k8s.types.input.core.v1.ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: mongoNames(input.namespace).initConfigMap, namespace: input.namespace, labels: LABELS },
    data: { [INIT_SCRIPT]: mongoInitScript() },
  };
}

export function mongoStatefulSet(input: Input): k8s.types.input.apps.v1.StatefulSet {
  const names = mongoNames(input.namespace);
  const probe = (period: number, failures: number) => ({
    exec: { command: mongoProbeCommand(input.port) },
    periodSeconds: period,
    timeoutSeconds: 10,
    failureThreshold: failures,
  });
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: names.statefulSet, namespace: input.namespace, labels: { ...LABELS, "app.kubernetes.io/version": input.version } },
    spec: {
      replicas: 1,
      serviceName: names.headless,
      selector: { matchLabels: selectorLabels("mongodb") },
      template: {
        metadata: {
          labels: { ...LABELS, "app.kubernetes.io/version": input.version },
          annotations: { [CERTIFICATE_CHECKSUM_ANNOTATION]: input.certificateChecksum },
        },
        spec: {
          ...linuxPodPlacement(input.nodeName, input.onControlPlane),
          ...(input.imagePullSecret === undefined ? {} : { imagePullSecrets: [{ name: input.imagePullSecret }] }),
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: MONGODB_UID,
            runAsGroup: MONGODB_UID,
            fsGroup: MONGODB_UID,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: "mongod",
              image: input.image,
              args: mongodArgs(input.port),
              env: [
                { name: "MONGO_INITDB_ROOT_USERNAME", value: MONGODB_ADMIN_USER },
                {
                  name: "MONGO_INITDB_ROOT_PASSWORD",
                  valueFrom: { secretKeyRef: { name: MONGODB_ADMIN_SECRET.name, key: MONGODB_ADMIN_SECRET.passwordKey } },
                },
              ],
              ports: [{ name: "mongodb", containerPort: input.port, protocol: "TCP" }],
              resources: { requests: { cpu: input.cpu, memory: input.memory }, limits: { memory: input.memory } },
              securityContext: { privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              volumeMounts: [
                { name: "data", mountPath: DATA_DIR },
                { name: "tls", mountPath: TLS_DIR, readOnly: true },
                { name: "init", mountPath: "/docker-entrypoint-initdb.d", readOnly: true },
              ],
              startupProbe: probe(10, 60),
              readinessProbe: probe(10, 3),
              livenessProbe: probe(30, 5),
            },
          ],
          volumes: [
            { name: "data", persistentVolumeClaim: { claimName: names.claim } },
            { name: "tls", secret: { secretName: certificateSecretName("mongodb"), defaultMode: 0o440 } },
            { name: "init", configMap: { name: names.initConfigMap, defaultMode: 0o444 } },
          ],
        },
      },
    },
  };
}

/** Headless governing Service of the StatefulSet and the ClusterIP Service `mongodb` (with externalIPs when given). */
export function mongoServices(input: Input): k8s.types.input.core.v1.Service[] {
  const names = mongoNames(input.namespace);
  const port = { name: "mongodb", port: input.port, targetPort: input.port, protocol: "TCP" };
  return [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: names.headless, namespace: input.namespace, labels: LABELS },
      spec: { clusterIP: "None", selector: selectorLabels("mongodb"), ports: [port] },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: names.service, namespace: input.namespace, labels: LABELS },
      spec: {
        type: "ClusterIP",
        selector: selectorLabels("mongodb"),
        ports: [port],
        ...(input.externalIPs.length > 0 ? { externalIPs: [...input.externalIPs] } : {}),
      },
    },
  ];
}
