/**
 * The one schema for a stack's configuration (the `opentwin:*` keys of stacks/Pulumi.<stack>.yaml).
 * Every object is strict: a key the schema does not know is an error, so a typo is never ignored.
 * Fields documented "secret" must be `secure:` values in the stack file; see SECRET_PATHS.
 */
import { z } from "zod";
import { OPENTWIN_DEFAULT_PORTS, WINDOWS_BUILD_NAMES } from "../../components/lib/catalog";
import { IMAGE_REFERENCE_TEXT, parseImageReference } from "../../components/lib/images";
import { hasNoControlCharacter, isCpuQuantity, isIpv4OrDnsName, isMemoryQuantity, isOpenSshPublicKey, SSH_PUBLIC_KEY_TYPES } from "./formats";

/** A string that must pass `test`; parse.ts reports `problem` and `allowed` when it does not. */
function checked(schema: z.ZodString, test: (value: string) => boolean, problem: string, allowed: string) {
  return schema.refine(test, { message: allowed, params: { problem } });
}

/** Every plain text value: one line, no control characters. PEM texts and secrets are `multiline`. */
const oneLine = (schema: z.ZodString) =>
  checked(schema, hasNoControlCharacter, "contains a control character (newline, tab, NUL, ...)", "one line of text without control characters");
const line = oneLine(z.string());
const text = oneLine(z.string().min(1));
/** PEM certificates, keys, kubeconfigs and passwords: may span lines. */
const multiline = z.string();
const image = checked(text, (value) => parseImageReference(value) !== undefined, "is not an image reference", IMAGE_REFERENCE_TEXT);
const cpu = checked(text, isCpuQuantity, "is not a Kubernetes CPU quantity above zero", "cores such as 2 or 1.5, or millicores such as 500m");
const memory = checked(
  text,
  isMemoryQuantity,
  "is not a Kubernetes memory quantity above zero",
  "bytes with a suffix Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T (powers of 1000), such as 512Mi, 4Gi or 1G",
);
const hostLabel = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "expected lower-case letters, digits and inner hyphens (a DNS label)");
const port = z.number().int().min(1).max(65535);
const checksum = z
  .string()
  .regex(/^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/, "expected sha256:<64 hex digits> or sha512:<128 hex digits>, lower case");

export const hostSchema = z.strictObject({
  name: hostLabel,
  sshAddress: checked(text, isIpv4OrDnsName, "is neither an IPv4 address nor a DNS name", "an IPv4 address or a DNS name of the Hyper-V host"),
  sshPort: port.default(22),
  sshUser: text,
  /** secret: private key (OpenSSH or PEM) that logs in as sshUser. */
  sshPrivateKey: multiline.optional(),
  /** Folder on the host that holds the VMs' configuration and disks. */
  vmPath: text,
  switchName: text,
  baseDisks: z.strictObject({ debian: text, windows: text }),
});

/**
 * A whole number of any magnitude: zod's int() also caps at Number.MAX_SAFE_INTEGER and would report that
 * cap, where the `sizes` rule names the role's real range.
 */
const wholeNumber = z.number().refine(Number.isInteger, { message: "a whole number", params: { problem: "is not a whole number" } });

/** Bounds per node role are checked by the `sizes` rule, which names the role's minimum and maximum. */
export const sizeSchema = z.strictObject({
  vcpu: wholeNumber,
  memoryGiB: wholeNumber,
  diskGiB: wholeNumber,
  /** Must stay false: the kubelet reads memory capacity once at start. */
  dynamicMemory: z.boolean().default(false),
});

export const nodeSchema = z.strictObject({
  /** Host name of the VM and name of the Kubernetes Node. */
  name: hostLabel,
  /** Hyper-V host (hosts[].name) that runs the VM. */
  host: text,
  /** Fixed IPv4 address in network.nodeCidr. */
  address: text,
});

export const networkSchema = z.strictObject({
  /** Network of the VMs' fixed addresses (hyperv target). */
  nodeCidr: text.optional(),
  gateway: text.optional(),
  dnsServers: z.array(text).min(1).optional(),
  podCidr: text.default("10.244.0.0/16"),
  serviceCidr: text.default("10.96.0.0/12"),
  clusterDomain: text.default("cluster.local"),
});

const downloadsSchema = z.strictObject({
  /** Replaces the scheme and host of every upstream download URL (a mirror for air-gapped sites). */
  mirror: oneLine(z.string().url()).optional(),
  /** Checksum of every artifact the nodes download, by artifact name (see README). */
  checksums: z.record(z.string(), checksum).default({}),
});

export const kubernetesSchema = z.strictObject({
  version: text,
  containerdVersion: text.default("2.1.4"),
  runcVersion: text.default("1.3.4"),
  cniPluginsVersion: text.default("1.7.1"),
  crictlVersion: text.default("1.34.0"),
  downloads: downloadsSchema.prefault({}),
});

export const controlPlaneSchema = z.strictObject({
  /** Virtual IP announced by kube-vip; required with three control-plane nodes. */
  virtualIp: text.optional(),
  kubeVipImage: image.default("ghcr.io/kube-vip/kube-vip:v0.9.2"),
  apiServerPort: port.default(6443),
  nodes: z.array(nodeSchema).min(1),
  size: sizeSchema,
});

export const windowsWorkersSchema = z.strictObject({
  windowsBuild: z.enum(WINDOWS_BUILD_NAMES as [string, ...string[]]),
  /** secret: password of the local Administrator set by the unattend file. */
  adminPassword: multiline.optional(),
  nodes: z.array(nodeSchema).default([]),
  size: sizeSchema.optional(),
});

export const linuxWorkersSchema = z.strictObject({
  nodes: z.array(nodeSchema).default([]),
  size: sizeSchema.optional(),
});

export const vmAccessSchema = z.strictObject({
  /** Account created on every VM for the program's SSH sessions. */
  user: hostLabel.default("opentwin"),
  /** Public half, written into cloud-init and the Windows authorized keys. */
  sshPublicKey: checked(
    text,
    isOpenSshPublicKey,
    "is not an OpenSSH public key",
    `one line "<type> <base64 key> [comment]" with type ${SSH_PUBLIC_KEY_TYPES.join(", ")}`,
  ),
  /** secret: private half, used by the program to reach the VMs. */
  sshPrivateKey: multiline.optional(),
});

export const flannelSchema = z.strictObject({
  /** Deploy Flannel; off for a bring-your-own cluster that already has a CNI. */
  enabled: z.boolean().default(true),
  /** VXLAN network identifier: 24 bits (RFC 7348). */
  vni: z.number().int().min(1).max(16_777_215).default(4096),
  port: port.default(4789),
  images: z
    .strictObject({
      flannel: image.default("ghcr.io/flannel-io/flannel:v0.27.4"),
      cniPlugin: image.default("ghcr.io/flannel-io/flannel-cni-plugin:v1.7.1-flannel2"),
      windowsFlanneld: image,
      windowsKubeProxy: image,
    }),
});

const serviceSchema = z.strictObject({
  port: port.optional(),
  replicas: z.number().int().min(0).optional(),
  cpu: cpu.default("500m"),
  memory: memory.default("1Gi"),
});

export const openTwinSchema = z.strictObject({
  namespace: hostLabel.default("opentwin"),
  /** Windows image built from OpenTwin's deployment folder; its tag must name the workers' build. */
  image: image,
  imagePullSecret: hostLabel.optional(),
  /** Address (IP or DNS name) at which the desktop front end reaches every service. */
  publicHost: text,
  /** IPs that route to the cluster's nodes and are published on the Services (externalIPs). */
  externalIPs: z.array(text).default([]),
  /** Ports after the LDS port that the LDS gives to compute services and relays. */
  ldsPortWindow: z.number().int().min(1).max(500).default(20),
  fileLogging: z.boolean().default(false),
  services: z
    .strictObject(
      Object.fromEntries(
        Object.keys(OPENTWIN_DEFAULT_PORTS).map((name) => [name, serviceSchema.prefault({})]),
      ) as Record<keyof typeof OPENTWIN_DEFAULT_PORTS, ReturnType<typeof serviceSchema.prefault>>,
    )
    .prefault({}),
});

export const mongoDbSchema = z.strictObject({
  version: text.default("7.0.14"),
  image: image.default("docker.io/library/mongo:7.0.14"),
  port: port.default(27017),
  storageGiB: z.number().int().min(1).default(10),
  /** Host folder for the local PersistentVolume on the node MongoDB runs on. */
  localPath: text.default("/var/lib/opentwin/mongodb"),
  cpu: cpu.default("500m"),
  memory: memory.default("1Gi"),
  /** secret: password of the MongoDB `admin` user. */
  adminPassword: multiline.optional(),
  /** secret: the same password encrypted with OpenTwin's build key, as AUTH expects it. */
  adminPasswordEncrypted: multiline.optional(),
});

export const pkiSchema = z.strictObject({
  /** generate: CA and certificates made by the program; supplied: PEM files from the operator. */
  mode: z.enum(["generate", "supplied"]).default("generate"),
  subject: z
    .strictObject({
      commonName: text.default("OpenTwin Root CA"),
      organization: text.default("OpenTwin"),
      organizationalUnit: line.optional(),
      country: checked(z.string(), (value) => /^[A-Z]{2}$/.test(value), "is not a two-letter country code", "an ISO 3166-1 alpha-2 code in upper case, such as DE").optional(),
      locality: line.optional(),
    })
    .prefault({}),
  keyBits: z.union([z.literal(3072), z.literal(4096)]).default(4096),
  caValidityHours: z.number().int().min(24).default(87600),
  validityHours: z.number().int().min(24).default(8760),
  earlyRenewalHours: z.number().int().min(0).default(720),
  /** supplied mode: CA certificate (PEM, public). */
  caCertificate: multiline.optional(),
  /** secret, supplied mode: per service (and mongodb) certificate and PKCS#1 key. */
  certificates: z.record(z.string(), z.strictObject({ certificate: multiline.min(1), privateKey: multiline.optional() })).optional(),
});

export const timeoutsSchema = z.strictObject({
  /** How long SSH keeps retrying a host or a VM that is still booting. */
  sshMinutes: z.number().int().min(1).default(15),
  /** Windows preparation including the reboot for the Containers feature. */
  windowsPrepareMinutes: z.number().int().min(5).default(45),
  /** Waiting for OpenTwin's large Windows image to pull and its pods to become ready. */
  workloadMinutes: z.number().int().min(1).default(45),
});

export const clusterSchema = z.strictObject({
  /** hyperv: the program builds the VMs and the cluster; existing: it deploys onto a cluster it is given. */
  target: z.enum(["hyperv", "existing"]).default("hyperv"),
  /** secret, existing target: kubeconfig of the cluster. */
  kubeconfig: multiline.optional(),
  /** existing target: API server address the Windows flanneld and kube-proxy dial before the overlay exists. */
  apiServer: z.strictObject({ host: text, port: port.default(6443) }).optional(),
  /** existing target: the Linux node MongoDB's local volume lives on. */
  mongoNode: text.optional(),
  /** existing target: MongoDB's node is a control-plane node (tolerate its taint). */
  mongoOnControlPlane: z.boolean().default(false),
});

export const stackSchema = z.strictObject({
  cluster: clusterSchema.prefault({}),
  hosts: z.array(hostSchema).default([]),
  network: networkSchema,
  kubernetes: kubernetesSchema,
  controlPlane: controlPlaneSchema.optional(),
  windowsWorkers: windowsWorkersSchema,
  linuxWorkers: linuxWorkersSchema.prefault({}),
  vmAccess: vmAccessSchema.optional(),
  flannel: flannelSchema,
  opentwin: openTwinSchema,
  mongodb: mongoDbSchema.prefault({}),
  pki: pkiSchema.prefault({}),
  timeouts: timeoutsSchema.prefault({}),
  /** Pulumi `protect` on data and the CA (production). */
  protectData: z.boolean().default(false),
});

export type StackConfig = z.infer<typeof stackSchema>;
export type HostConfig = z.infer<typeof hostSchema>;
export type NodeConfig = z.infer<typeof nodeSchema>;
export type SizeConfig = z.infer<typeof sizeSchema>;

/**
 * Where secrets live in the configuration. `*` matches any array index or record key.
 * Each is required for a real preview or up only where `requiredWhen` holds.
 */
export const SECRET_PATHS: readonly { path: string; requiredWhen: (config: StackConfig) => boolean }[] = [
  { path: "hosts.*.sshPrivateKey", requiredWhen: (c) => c.cluster.target === "hyperv" },
  { path: "vmAccess.sshPrivateKey", requiredWhen: (c) => c.cluster.target === "hyperv" },
  {
    path: "windowsWorkers.adminPassword",
    requiredWhen: (c) => c.cluster.target === "hyperv" && c.windowsWorkers.nodes.length > 0,
  },
  { path: "mongodb.adminPassword", requiredWhen: () => true },
  { path: "mongodb.adminPasswordEncrypted", requiredWhen: () => true },
  { path: "cluster.kubeconfig", requiredWhen: (c) => c.cluster.target === "existing" },
  { path: "pki.certificates.*.privateKey", requiredWhen: (c) => c.pki.mode === "supplied" },
];
