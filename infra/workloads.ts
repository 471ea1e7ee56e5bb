/** Level 4: the PKI and OpenTwin (MongoDB included) on whatever cluster the provider reaches. */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { OPENTWIN_SERVICE_NAMES, type OpenTwinServiceName, type WindowsBuildName } from "../components/lib/catalog";
import { requiredCertificateHosts } from "../components/opentwin/endpoints";
import { OpenTwin } from "../components/opentwin/openTwin";
import { OpenTwinPki, serviceSans, type PkiServiceCertificate } from "../components/pki";
import type { StackSecrets } from "./config/load";
import { servicePort, serviceReplicas } from "./config/derived";
import type { StackConfig } from "./config/schema";

type CertificateName = OpenTwinServiceName | "mongodb";
const CERTIFICATE_NAMES: CertificateName[] = [...OPENTWIN_SERVICE_NAMES, "mongodb"];

/** SANs of every certificate: the Kubernetes names, the published host and IPs, and every host OpenTwin dials. Pure. */
export function pkiServices(config: StackConfig): PkiServiceCertificate[] {
  const { namespace, publicHost, externalIPs } = config.opentwin;
  const clusterDomain = config.network.clusterDomain;
  return CERTIFICATE_NAMES.map((name) => {
    const dialled = requiredCertificateHosts(name, { namespace, clusterDomain, publicHost });
    const sans = serviceSans({ service: name, namespace, clusterDomain, publicHost, externalIPs, extraDnsNames: dialled });
    return { name, commonName: `opentwin-${name}`, dnsNames: sans.dnsNames, ipAddresses: sans.ipAddresses };
  });
}

export function deployWorkloads(
  config: StackConfig,
  secrets: StackSecrets,
  cluster: { provider: k8s.Provider; nodesReady: pulumi.Resource[]; mongoPlacement: { nodeName: string; onControlPlane: boolean } },
  networkReady: pulumi.Resource[],
): { pki: OpenTwinPki; openTwin: OpenTwin } {
  const pki = new OpenTwinPki("pki", {
    mode: config.pki.mode,
    subject: config.pki.subject,
    keyBits: config.pki.keyBits,
    caValidityHours: config.pki.caValidityHours,
    validityHours: config.pki.validityHours,
    earlyRenewalHours: config.pki.earlyRenewalHours,
    services: pkiServices(config),
    supplied:
      config.pki.mode === "supplied"
        ? {
            caCertificate: config.pki.caCertificate!,
            certificates: Object.fromEntries(
              Object.entries(config.pki.certificates ?? {}).map(([name, c]) => [name, { certificate: c.certificate, privateKey: secrets.suppliedKeys[name]! }]),
            ),
          }
        : undefined,
    protect: config.protectData,
  });

  const certificate = (name: CertificateName) => pki.certificates[name]!;
  const openTwin = new OpenTwin(
    "opentwin",
    {
      namespace: config.opentwin.namespace,
      windowsBuild: config.windowsWorkers.windowsBuild as WindowsBuildName,
      image: config.opentwin.image,
      imagePullSecret: config.opentwin.imagePullSecret,
      publicHost: config.opentwin.publicHost,
      externalIPs: config.opentwin.externalIPs,
      services: Object.fromEntries(
        OPENTWIN_SERVICE_NAMES.map((name) => {
          const service = config.opentwin.services[name];
          return [name, { port: servicePort(config, name), replicas: serviceReplicas(config, name), cpu: service.cpu, memory: service.memory }];
        }),
      ) as Record<OpenTwinServiceName, { port: number; replicas: number; cpu: string; memory: string }>,
      ldsPortWindow: config.opentwin.ldsPortWindow,
      fileLogging: config.opentwin.fileLogging,
      clusterDomain: config.network.clusterDomain,
      caCertificate: pki.caCertificate,
      certificates: Object.fromEntries(CERTIFICATE_NAMES.map((name) => [name, certificate(name)])) as Record<CertificateName, ReturnType<typeof certificate>>,
      mongodb: {
        port: config.mongodb.port,
        version: config.mongodb.version,
        image: config.mongodb.image,
        storageGiB: config.mongodb.storageGiB,
        localPath: config.mongodb.localPath,
        cpu: config.mongodb.cpu,
        memory: config.mongodb.memory,
        placement: cluster.mongoPlacement,
        adminPassword: secrets.mongoAdminPassword,
        adminPasswordEncrypted: secrets.mongoAdminPasswordEncrypted,
      },
      podDisruptionBudgets: OPENTWIN_SERVICE_NAMES.some((name) => serviceReplicas(config, name) > 1),
      protectData: config.protectData,
      workloadMinutes: config.timeouts.workloadMinutes,
    },
    { provider: cluster.provider, dependsOn: [...cluster.nodesReady, ...networkReady] },
  );
  return { pki, openTwin };
}
