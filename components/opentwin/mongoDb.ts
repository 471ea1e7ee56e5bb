import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { certificateSecretName } from "./constants";
import { inClusterHost } from "./endpoints";
import {
  type MongoManifestInput,
  mongoClaim,
  mongoInitConfigMap,
  mongoNames,
  mongoPersistentVolume,
  mongoServices,
  mongoStatefulSet,
} from "./mongodbManifests";
import { certificateSecretManifest, mongoAdminSecretManifest } from "./secrets";

export interface MongoDbArgs {
  /** Namespace to deploy into; it must exist (pass the Namespace in `opts.dependsOn`). No default. */
  readonly namespace: string;
  /** Cluster DNS domain, for the reported address. Default "cluster.local". */
  readonly clusterDomain?: string;
  /** TCP port of mongod and of the Services. Default 27017. */
  readonly port?: number;
  /** MongoDB version, recorded as a label. Default "7.0.14". */
  readonly version?: string;
  /** Official (Debian-based) mongo image. Default "docker.io/library/mongo:7.0.14". */
  readonly image?: string;
  /** Pull secret in the namespace for the image. Default none. */
  readonly imagePullSecret?: string;
  /** Size of the local PersistentVolume. Default 10. */
  readonly storageGiB?: number;
  /** Folder on the node backing the volume; it must exist there (kubelet applies fsGroup 999). Default "/var/lib/opentwin/mongodb". */
  readonly localPath?: string;
  /** CPU request. Default "500m". */
  readonly cpu?: string;
  /** Memory request and limit. Default "1Gi". */
  readonly memory?: string;
  /** The Linux node MongoDB runs on, and whether that node is a (tainted) control plane. Required. */
  readonly placement: { readonly nodeName: string; readonly onControlPlane: boolean };
  /** Addresses published on the `mongodb` Service (the desktop front end reaches the database). Default []. */
  readonly externalIPs?: readonly string[];
  /** secret: password of the `admin` user. Required; there is never a default password. */
  readonly adminPassword: pulumi.Input<string>;
  /** secret: the same password encrypted with OpenTwin's build key, stored beside it for AUTH. Default none. */
  readonly adminPasswordEncrypted?: pulumi.Input<string>;
  /** CA, server certificate (SANs: the `mongodb` Service names, publicHost, localhost), PKCS#1 key (secret) and checksum. Required. */
  readonly certificate: {
    readonly caCertificate: pulumi.Input<string>;
    readonly certificate: pulumi.Input<string>;
    readonly privateKey: pulumi.Input<string>;
    readonly checksum: pulumi.Input<string>;
  };
  /** Pulumi `protect` on the volume, claim and StatefulSet. Default false. */
  readonly protectData?: boolean;
}

/** MongoDB with authorization and requireTLS on one Linux node, on a Retain local volume. */
export class MongoDb extends pulumi.ComponentResource {
  /** Name of the ClusterIP Service (`mongodb`). */
  public readonly serviceName: pulumi.Output<string>;
  /** `mongodb.<ns>.svc.<domain>:<port>`: the address in-cluster clients use. */
  public readonly address: pulumi.Output<string>;
  /** Secret holding `password` and (when given) `password-encrypted`. */
  public readonly adminSecretName: pulumi.Output<string>;
  public readonly statefulSet: k8s.apps.v1.StatefulSet;

  constructor(name: string, args: MongoDbArgs, opts?: pulumi.ComponentResourceOptions) {
    super("opentwin:opentwin:MongoDb", name, {}, opts);
    const provider = opts?.provider;
    if (provider === undefined) throw new Error(`MongoDb ${name}: opts.provider is required (an explicit Kubernetes provider).`);
    const port = args.port ?? 27017;
    const protect = args.protectData ?? false;
    const input: MongoManifestInput = {
      namespace: args.namespace,
      port,
      version: args.version ?? "7.0.14",
      image: args.image ?? "docker.io/library/mongo:7.0.14",
      imagePullSecret: args.imagePullSecret,
      storageGiB: args.storageGiB ?? 10,
      localPath: args.localPath ?? "/var/lib/opentwin/mongodb",
      cpu: args.cpu ?? "500m",
      memory: args.memory ?? "1Gi",
      nodeName: args.placement.nodeName,
      onControlPlane: args.placement.onControlPlane,
      externalIPs: args.externalIPs ?? [],
      certificateChecksum: args.certificate.checksum,
    };
    const child = { parent: this, provider };

    const tls = new k8s.core.v1.Secret(`${name}-tls`, certificateSecretManifest(certificateSecretName("mongodb"), args.namespace, "mongodb", args.certificate), child);
    const admin = new k8s.core.v1.Secret(`${name}-admin`, mongoAdminSecretManifest(args.namespace, args.adminPassword, args.adminPasswordEncrypted), child);
    const init = new k8s.core.v1.ConfigMap(`${name}-init`, mongoInitConfigMap(input), child);
    const volume = new k8s.core.v1.PersistentVolume(`${name}-volume`, mongoPersistentVolume(input), { ...child, protect, retainOnDelete: true });
    const claim = new k8s.core.v1.PersistentVolumeClaim(`${name}-claim`, mongoClaim(input), { ...child, protect, dependsOn: [volume] });
    const [headlessManifest, serviceManifest] = mongoServices(input);
    const headless = new k8s.core.v1.Service(`${name}-headless`, headlessManifest!, child);
    const service = new k8s.core.v1.Service(`${name}-service`, serviceManifest!, child);
    this.statefulSet = new k8s.apps.v1.StatefulSet(`${name}-statefulset`, mongoStatefulSet(input), {
      ...child,
      protect,
      dependsOn: [tls, admin, init, claim, headless],
    });

    this.serviceName = service.metadata.name;
    this.address = pulumi.output(`${inClusterHost(mongoNames(args.namespace).service, args.namespace, args.clusterDomain ?? "cluster.local")}:${port}`);
    this.adminSecretName = admin.metadata.name;
    this.registerOutputs({ serviceName: this.serviceName, address: this.address, adminSecretName: this.adminSecretName });
  }
}
