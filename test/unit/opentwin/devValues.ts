/** The dev stack's values (stacks/Pulumi.dev.yaml with schema defaults) as OpenTwin arguments. */
import type { OpenTwinArgs } from "../../../components/opentwin/openTwin";
import { OPENTWIN_DEFAULT_PORTS, type OpenTwinServiceName } from "../../../components/lib/catalog";

export const DEV_PASSWORD = "dev-admin-password-never-in-plain-text";
export const DEV_PASSWORD_ENCRYPTED = "ZW5jcnlwdGVkLWRldi1wYXNzd29yZA==";

export function fakeCertificate(name: string, serial = 1): { certificate: string; privateKey: string; checksum: string } {
  return {
    certificate: `-----BEGIN CERTIFICATE-----\nMOCK-${name}-${serial}\n-----END CERTIFICATE-----\n`,
    privateKey: `-----BEGIN RSA PRIVATE KEY-----\nMOCK-KEY-${name}-${serial}\n-----END RSA PRIVATE KEY-----\n`,
    checksum: `sha256-${name}-${serial}`,
  };
}

const service = (name: OpenTwinServiceName, cpu = "500m", memory = "1Gi") => ({ port: OPENTWIN_DEFAULT_PORTS[name], replicas: 1, cpu, memory });

export function devArgs(): OpenTwinArgs {
  return {
    namespace: "opentwin",
    windowsBuild: "ltsc2022",
    image: "registry.opentwin.local/opentwin/services:2.0.0-ltsc2022",
    publicHost: "192.168.50.21",
    externalIPs: ["192.168.50.21"],
    services: {
      logger: service("logger", "500m", "512Mi"),
      gss: service("gss"),
      auth: service("auth"),
      lss: service("lss"),
      gds: service("gds"),
      lds: service("lds", "2", "4Gi"),
    },
    ldsPortWindow: 20,
    fileLogging: false,
    clusterDomain: "cluster.local",
    caCertificate: "-----BEGIN CERTIFICATE-----\nMOCK-CA\n-----END CERTIFICATE-----\n",
    certificates: {
      logger: fakeCertificate("logger"),
      gss: fakeCertificate("gss"),
      auth: fakeCertificate("auth"),
      lss: fakeCertificate("lss"),
      gds: fakeCertificate("gds"),
      lds: fakeCertificate("lds"),
      mongodb: fakeCertificate("mongodb"),
    },
    mongodb: {
      port: 27017,
      version: "7.0.14",
      image: "docker.io/library/mongo:7.0.14",
      storageGiB: 10,
      localPath: "/var/lib/opentwin/mongodb",
      cpu: "500m",
      memory: "1Gi",
      placement: { nodeName: "otcp1", onControlPlane: true },
      adminPassword: DEV_PASSWORD,
      adminPasswordEncrypted: DEV_PASSWORD_ENCRYPTED,
    },
    podDisruptionBudgets: false,
    protectData: false,
    workloadMinutes: 45,
  };
}
