import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { OPENTWIN_SERVICE_NAMES, type OpenTwinServiceName, type WindowsBuildName } from "../lib/catalog";
import { certificateSecretName } from "./constants";
import { type OpenTwinEndpoints, openTwinEndpoints } from "./endpoints";
import { MongoDb } from "./mongoDb";
import { ldsGoverningService, ldsInstanceService, podDisruptionBudget, serviceManifest } from "./network";
import { namespaceManifest, runtimeClassManifest } from "./placement";
import { certificateSecretManifest } from "./secrets";
import { openTwinArgProblems, portsOf } from "./validate";
import { type WorkloadInput, ldsStatefulSet, serviceDeployment } from "./workloads";

export interface OpenTwinServiceArgs {
  /** Port of the service's own URL (bound and advertised). */
  readonly port: number;
  /** Replicas; more than 1 only for auth and lds (each LDS replica is an instance with its own port window). */
  readonly replicas: number;
  /** CPU request. */
  readonly cpu: string;
  /** Memory request and limit (the Windows kubelet has no eviction). */
  readonly memory: string;
}

export interface OpenTwinCertificate {
  readonly certificate: pulumi.Input<string>;
  /** secret: PKCS#1 RSA key. */
  readonly privateKey: pulumi.Input<string>;
  /** Changes whenever the certificate does; written to the pod template so a renewal rolls the pods. */
  readonly checksum: pulumi.Input<string>;
}

export interface OpenTwinArgs {
  /** Namespace created for OpenTwin and MongoDB. Required (the stack default is "opentwin"). */
  readonly namespace: string;
  /** Windows build of the workers; the image tag must name it. Required. */
  readonly windowsBuild: WindowsBuildName;
  /** Image built by images/opentwin from OpenTwin's Deployment folder. Required. */
  readonly image: string;
  /** Pull secret (already in the namespace) for the OpenTwin and MongoDB images. Default none. */
  readonly imagePullSecret?: string;
  /** Address at which the desktop front end reaches every service; each service advertises publicHost:<port>. Required. */
  readonly publicHost: string;
  /** IPs routed to the nodes, published on every Service. Required (may be empty). */
  readonly externalIPs: readonly string[];
  /** Port, replicas and size of each service. Required. */
  readonly services: Record<OpenTwinServiceName, OpenTwinServiceArgs>;
  /** Ports after each LDS instance's port for its compute services and relays. Required (stack default 20). */
  readonly ldsPortWindow: number;
  /** OPEN_TWIN_FILE_LOGGING: write <Service>.otlog files in the container. Required (stack default false). */
  readonly fileLogging: boolean;
  /** Cluster DNS domain. Required (stack default "cluster.local"). */
  readonly clusterDomain: string;
  /** CA certificate (PEM) every service trusts. Required. */
  readonly caCertificate: pulumi.Input<string>;
  /** One certificate per service and for mongodb (server and client auth; SANs: see requiredCertificateHosts). Required. */
  readonly certificates: Record<OpenTwinServiceName | "mongodb", OpenTwinCertificate>;
  /** MongoDB settings and credentials. Required. */
  readonly mongodb: {
    readonly port: number;
    readonly version: string;
    readonly image: string;
    readonly storageGiB: number;
    readonly localPath: string;
    readonly cpu: string;
    readonly memory: string;
    readonly placement: { readonly nodeName: string; readonly onControlPlane: boolean };
    /** secret */
    readonly adminPassword: pulumi.Input<string>;
    /** secret: the password encrypted with OpenTwin's build key (AUTH's argument). */
    readonly adminPasswordEncrypted: pulumi.Input<string>;
  };
  /** PodDisruptionBudgets (minAvailable 1) for AUTH and LDS when they run more than one replica. Required. */
  readonly podDisruptionBudgets: boolean;
  /** Pulumi `protect` on MongoDB's data. Required. */
  readonly protectData: boolean;
  /** How long Pulumi waits for a Windows workload (image pulls are slow). Required (stack default 45). */
  readonly workloadMinutes: number;
}

/** OpenTwin's services as Windows workloads, MongoDB on Linux, and the Services that publish them. */
export class OpenTwin extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly runtimeClassName: pulumi.Output<string>;
  /** Every URL and address the services are given (see endpoints.ts for which one each argument gets). */
  public readonly endpoints: OpenTwinEndpoints;
  public readonly mongodb: MongoDb;

  constructor(name: string, args: OpenTwinArgs, opts?: pulumi.ComponentResourceOptions) {
    super("opentwin:opentwin:OpenTwin", name, {}, opts);
    const provider = opts?.provider;
    if (provider === undefined) throw new Error(`OpenTwin ${name}: opts.provider is required (an explicit Kubernetes provider).`);
    const problems = openTwinArgProblems({
      windowsBuild: args.windowsBuild,
      image: args.image,
      publicHost: args.publicHost,
      services: args.services,
      ldsPortWindow: args.ldsPortWindow,
      mongodbPort: args.mongodb.port,
      workloadMinutes: args.workloadMinutes,
    });
    if (problems.length > 0) throw new Error(`OpenTwin ${name}: invalid arguments:\n- ${problems.join("\n- ")}`);

    const child = { parent: this, provider };
    const ns = new k8s.core.v1.Namespace(`${name}-namespace`, namespaceManifest(args.namespace), child);
    const runtimeClass = new k8s.node.v1.RuntimeClass(`${name}-runtimeclass`, runtimeClassManifest(args.windowsBuild), child);
    const inNs = { ...child, dependsOn: [ns] };

    const endpoints = openTwinEndpoints({
      namespace: args.namespace,
      clusterDomain: args.clusterDomain,
      publicHost: args.publicHost,
      ports: portsOf(args.services),
      ldsReplicas: args.services.lds.replicas,
      ldsPortWindow: args.ldsPortWindow,
      mongodbPort: args.mongodb.port,
    });

    this.mongodb = new MongoDb(
      `${name}-mongodb`,
      {
        namespace: args.namespace,
        clusterDomain: args.clusterDomain,
        port: args.mongodb.port,
        version: args.mongodb.version,
        image: args.mongodb.image,
        imagePullSecret: args.imagePullSecret,
        storageGiB: args.mongodb.storageGiB,
        localPath: args.mongodb.localPath,
        cpu: args.mongodb.cpu,
        memory: args.mongodb.memory,
        placement: args.mongodb.placement,
        externalIPs: args.externalIPs,
        adminPassword: args.mongodb.adminPassword,
        adminPasswordEncrypted: args.mongodb.adminPasswordEncrypted,
        certificate: { caCertificate: args.caCertificate, ...args.certificates.mongodb },
        protectData: args.protectData,
      },
      inNs,
    );

    const secrets = Object.fromEntries(
      OPENTWIN_SERVICE_NAMES.map((service) => [
        service,
        new k8s.core.v1.Secret(
          `${name}-${service}-tls`,
          certificateSecretManifest(certificateSecretName(service), args.namespace, service, { caCertificate: args.caCertificate, ...args.certificates[service] }),
          inNs,
        ),
      ]),
    ) as Record<OpenTwinServiceName, k8s.core.v1.Secret>;

    const minutes = `${args.workloadMinutes}m`;
    const workloadOpts = (service: OpenTwinServiceName, after: pulumi.Resource[]) => ({
      ...child,
      dependsOn: [ns, runtimeClass, secrets[service], ...after],
      customTimeouts: { create: minutes, update: minutes },
    });
    const workloadInput = (service: OpenTwinServiceName): WorkloadInput => ({
      namespace: args.namespace,
      windowsBuild: args.windowsBuild,
      image: args.image,
      imagePullSecret: args.imagePullSecret,
      publicHost: args.publicHost,
      fileLogging: args.fileLogging,
      endpoints,
      cpu: args.services[service].cpu,
      memory: args.services[service].memory,
      replicas: args.services[service].replicas,
      certificateChecksum: args.certificates[service].checksum,
      timeoutSeconds: args.workloadMinutes * 60,
    });
    const deployment = (service: Exclude<OpenTwinServiceName, "lds">, after: pulumi.Resource[]) => {
      const port = args.services[service].port;
      new k8s.core.v1.Service(`${name}-${service}-service`, serviceManifest(service, args.namespace, port, args.externalIPs), inNs);
      return new k8s.apps.v1.Deployment(`${name}-${service}`, serviceDeployment(service, port, workloadInput(service)), workloadOpts(service, after));
    };

    // Start order follows who needs whom: AUTH needs MongoDB, GSS checks AUTH, LSS and GDS register at GSS, LDS at GDS.
    const logger = deployment("logger", []);
    const auth = deployment("auth", [logger, this.mongodb]);
    const gss = deployment("gss", [auth]);
    deployment("lss", [gss]);
    const gds = deployment("gds", [gss]);

    new k8s.core.v1.Service(`${name}-lds-service`, ldsGoverningService(args.namespace), inNs);
    for (const instance of endpoints.lds) {
      new k8s.core.v1.Service(`${name}-${instance.name}-service`, ldsInstanceService(instance, args.namespace, args.externalIPs), inNs);
      new k8s.apps.v1.StatefulSet(`${name}-${instance.name}`, ldsStatefulSet(instance, workloadInput("lds")), workloadOpts("lds", [gds]));
    }

    if (args.podDisruptionBudgets) {
      for (const component of ["auth", "lds"] as const) {
        if (args.services[component].replicas > 1) {
          new k8s.policy.v1.PodDisruptionBudget(`${name}-${component}-pdb`, podDisruptionBudget(component, args.namespace), inNs);
        }
      }
    }

    this.namespace = ns.metadata.name;
    this.runtimeClassName = runtimeClass.metadata.name;
    this.endpoints = endpoints;
    this.registerOutputs({ namespace: this.namespace, runtimeClassName: this.runtimeClassName, endpoints });
  }
}
