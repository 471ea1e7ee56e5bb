/**
 * Simulated durations of the program's steps, keyed by step kind, with where each figure comes
 * from. A step's kind is recognised from its resource type, the suffix of its name and its
 * ancestors (a `-ready` step under a WindowsWorker is a Windows first boot).
 *
 * Figures are nominal wall-clock seconds on ordinary on-premises hardware. Where no public
 * measurement was found the row says "estimate" and why the figure is plausible.
 */

export type StepKind =
  | "component"
  | "vm-create"
  | "first-boot-windows"
  | "first-boot-debian"
  | "prepare-debian"
  | "prepare-windows"
  | "restart-windows"
  | "containerd-windows"
  | "kubelet-windows"
  | "join-command"
  | "join-windows"
  | "join-linux"
  | "registered"
  | "kubeadm-init"
  | "control-plane-join"
  | "read-secret"
  | "remote-check"
  | "provider"
  | "tls"
  | "k8s-object"
  | "daemonset-linux"
  | "daemonset-windows"
  | "workload-linux"
  | "workload-windows-cold"
  | "workload-windows-warm";

export interface KindFigure {
  readonly seconds: number;
  /** What the step does, in a few words. */
  readonly what: string;
  /** Where the figure comes from. */
  readonly source: string;
}

export const DURATIONS: Readonly<Record<StepKind, KindFigure>> = {
  component: { seconds: 0, what: "component resource (no provider operation)", source: "Pulumi: components have no provider operation" },
  "vm-create": {
    seconds: 30,
    what: "Hyper-V: differencing disk from the base image, New-VM, first-boot data written, start (`-machine`)",
    source: "a differencing disk is a small child file of the base VHDX, created at once (woshub.com, \"Using differencing disks for quick VM deployment in Hyper-V\"); 30 s covers New-VM and mounting the disk to write unattend/cloud-init (estimate)",
  },
  "first-boot-windows": {
    seconds: 300,
    what: "first boot of a sysprepped Windows Server: specialize + OOBE with unattend, SSH answers (`-ready`)",
    source: "estimate: specialize/OOBE passes of a generalized image take minutes (Microsoft Learn, Sysprep generalize; Azure Windows provisioning runs the same passes); no measured figure found",
  },
  "first-boot-debian": {
    seconds: 60,
    what: "first boot of Debian genericcloud with cloud-init NoCloud, SSH answers (`-ready`)",
    source: "estimate: cloud-init first boot of a cloud image, about a minute",
  },
  "prepare-debian": {
    seconds: 180,
    what: "prepare-node: swap off, sysctls, containerd/runc/CNI/kubelet/kubeadm downloads verified and installed (`-prepare`)",
    source: "estimate: ~200 MB of verified downloads plus apt; kubeadm's own preflight says image pulls \"might take a minute or two\" (kubernetes/kubeadm#3290 log)",
  },
  "prepare-windows": {
    seconds: 120,
    what: "Containers feature enabled, restart scheduled (`-prepare`)",
    source: "estimate: Install-WindowsFeature Containers then a required reboot (sig-windows-tools Install-Containerd.ps1 exits asking for a restart; kubernetes/website#32862)",
  },
  "restart-windows": {
    seconds: 180,
    what: "reboot after the feature install, wait until SSH answers again (`-restart`)",
    source: "estimate: a Windows Server reboot that completes a feature install takes a few minutes",
  },
  "containerd-windows": {
    seconds: 90,
    what: "containerd for Windows downloaded, verified, configured, service started (`-containerd`)",
    source: "estimate: ~40 MB download and service registration",
  },
  "kubelet-windows": {
    seconds: 120,
    what: "kubernetes-node-windows tarball downloaded, verified, kubelet service registered (`-kubelet`)",
    source: "estimate: ~100 MB tarball, extraction on NTFS",
  },
  "join-command": { seconds: 5, what: "fresh join token on the control plane (`-join-command`)", source: "kubeadm token create: one API call" },
  "join-windows": {
    seconds: 90,
    what: "kubeadm join on Windows, TLS bootstrap, kubelet started (`windows-*-join`)",
    source: "estimate: preflight + TLS bootstrap + kubelet start; Windows pulls the pause image here",
  },
  "join-linux": { seconds: 60, what: "kubeadm join of a Debian worker (`linux-*-join`)", source: "estimate: preflight + TLS bootstrap, under a minute" },
  registered: { seconds: 15, what: "wait for the Node object / label it (`-registered`)", source: "poll every 10 s in the step's script" },
  "kubeadm-init": {
    seconds: 150,
    what: "kubeadm init on control-plane node 1 (`-init`)",
    source: "kubeadm: \"This often takes around a minute; or longer if the control plane images have to be pulled\" (kubernetes/kubernetes#51369) plus \"a minute or two\" of image pulls (kubernetes/kubeadm#3290)",
  },
  "control-plane-join": {
    seconds: 120,
    what: "kubeadm join --control-plane of nodes 2 and 3 (etcd member added)",
    source: "estimate: as kubeadm init minus certificate generation, plus the etcd member sync",
  },
  "read-secret": { seconds: 5, what: "read kubeconfig / join material on node 1", source: "one SSH command" },
  "remote-check": { seconds: 5, what: "short guarded checks (`-reset`, `-drain` create, data directory)", source: "one SSH command" },
  provider: { seconds: 1, what: "Kubernetes provider configured from the kubeconfig", source: "in-process" },
  tls: { seconds: 1, what: "TLS key/certificate (RSA up to 4096 bits)", source: "in-process key generation, about a second" },
  "k8s-object": { seconds: 2, what: "plain Kubernetes object (Namespace, Secret, Service, RBAC, ...)", source: "one API call" },
  "daemonset-linux": { seconds: 60, what: "Linux DaemonSet rolled out (flannel image pull)", source: "estimate: tens of MB image on Linux" },
  "daemonset-windows": {
    seconds: 90,
    what: "Windows HostProcess DaemonSet rolled out (flanneld, kube-proxy)",
    source: "estimate: HostProcess images are small (no servercore base), but Windows image pulls are slow (containerd/cri#1355)",
  },
  "workload-linux": { seconds: 90, what: "Linux workload (MongoDB StatefulSet): image pull and readiness", source: "estimate: ~250 MB image on Linux" },
  "workload-windows-cold": {
    seconds: 480,
    what: "first Windows workload: OpenTwin servercore-based image pulled cold, pod ready",
    source: "servercore images are GBs: a 1.x GB Windows image took 16 min to pull (actions/runner-images#3728); extracting windows/server:ltsc2022 (3 GB) ~140 s on a fast machine (microsoft/Windows-Containers#607); containerd pulled a servercore-based image in 18.5 min vs 3.5 min for Docker (containerd/cri#1355); 8 min taken",
  },
  "workload-windows-warm": {
    seconds: 45,
    what: "later Windows workloads: image already on the node, container start and readiness",
    source: "estimate; the scheduler's ImageLocality score prefers nodes that already hold the image",
  },
};

export interface ClassifiableResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
}

function nodeSelectorOs(inputs: Record<string, unknown>): string | undefined {
  const spec = (inputs.spec as { template?: { spec?: { nodeSelector?: Record<string, string> } } } | undefined)?.template?.spec;
  return spec?.nodeSelector?.["kubernetes.io/os"];
}

/**
 * The kind of one resource. `ancestorTypes` are the types of its parents, nearest first.
 * Windows workloads are returned as "workload-windows-cold"; the DAG makes all but the first warm.
 */
export function classify(resource: ClassifiableResource, ancestorTypes: readonly string[]): StepKind {
  const { type, name } = resource;
  if (!resource.custom) return "component";
  const under = (t: string): boolean => ancestorTypes.includes(t);
  const windows = under("opentwin:cluster:WindowsWorker");
  const controlPlane = under("opentwin:cluster:ControlPlane");
  if (type === "command:remote:Command") {
    if (name.endsWith("-machine")) return "vm-create";
    if (name.endsWith("-ready")) return windows ? "first-boot-windows" : "first-boot-debian";
    if (name.endsWith("-prepare")) return windows ? "prepare-windows" : "prepare-debian";
    if (name.endsWith("-restart")) return "restart-windows";
    if (name.endsWith("-containerd")) return "containerd-windows";
    if (name.endsWith("-kubelet")) return "kubelet-windows";
    if (name.endsWith("-join-command")) return "join-command";
    if (name.endsWith("-join")) return windows ? "join-windows" : controlPlane ? "control-plane-join" : "join-linux";
    if (name.endsWith("-registered")) return "registered";
    if (name.endsWith("-init")) return "kubeadm-init";
    if (name.endsWith("-kubeconfig") || name.endsWith("-join-material")) return "read-secret";
    return "remote-check";
  }
  if (type.startsWith("pulumi:providers:")) return "provider";
  if (type.startsWith("tls:")) return "tls";
  if (type === "kubernetes:apps/v1:DaemonSet") return nodeSelectorOs(resource.inputs) === "windows" ? "daemonset-windows" : "daemonset-linux";
  if (type === "kubernetes:apps/v1:Deployment" || type === "kubernetes:apps/v1:StatefulSet") {
    return nodeSelectorOs(resource.inputs) === "windows" ? "workload-windows-cold" : "workload-linux";
  }
  return "k8s-object";
}
