/**
 * Facts the program relies on, in one place. Each table names where its figures come from.
 */

/** Windows Server builds a worker may run (kubernetes.io docs, "Windows containers in Kubernetes"). */
export const WINDOWS_BUILDS = {
  ltsc2019: { build: "10.0.17763", servercoreTag: "ltsc2019", secureBootTemplate: "MicrosoftWindows" },
  ltsc2022: { build: "10.0.20348", servercoreTag: "ltsc2022", secureBootTemplate: "MicrosoftWindows" },
  ltsc2025: { build: "10.0.26100", servercoreTag: "ltsc2025", secureBootTemplate: "MicrosoftWindows" },
} as const;
export type WindowsBuildName = keyof typeof WINDOWS_BUILDS;
export const WINDOWS_BUILD_NAMES = Object.keys(WINDOWS_BUILDS) as WindowsBuildName[];

/** The build number (10.0.x) a name stands for. */
export function windowsBuildNumber(name: WindowsBuildName): string {
  return WINDOWS_BUILDS[name].build;
}

/**
 * Which Windows build an image tag was made for, or undefined when the tag names none.
 * Recognises the LTSC names and the build numbers (with or without "10.0.").
 */
export function windowsBuildOfTag(tag: string): WindowsBuildName | undefined {
  for (const name of WINDOWS_BUILD_NAMES) {
    const number = WINDOWS_BUILDS[name].build;
    const shortNumber = number.slice("10.0.".length);
    const pattern = new RegExp(`(^|[^0-9a-z])(${name}|${escapeDots(number)}|${shortNumber})([^0-9]|$)`, "i");
    if (pattern.test(tag)) return name;
  }
  return undefined;
}

function escapeDots(text: string): string {
  return text.replace(/\./g, "\\.");
}

/**
 * Kubernetes minor versions the program knows how to install, with the facts that change per minor.
 * kubeadm config API: v1beta3 before 1.31, v1beta4 from 1.31 (kubeadm config API reference).
 * Pause image: the version kubeadm of that minor pulls (`kubeadm config images list`).
 */
export const KUBERNETES_MINORS = {
  "1.30": { kubeadmApi: "kubeadm.k8s.io/v1beta3", pause: "3.9" },
  "1.31": { kubeadmApi: "kubeadm.k8s.io/v1beta4", pause: "3.10" },
  "1.32": { kubeadmApi: "kubeadm.k8s.io/v1beta4", pause: "3.10" },
  "1.33": { kubeadmApi: "kubeadm.k8s.io/v1beta4", pause: "3.10" },
  "1.34": { kubeadmApi: "kubeadm.k8s.io/v1beta4", pause: "3.10.1" },
  "1.35": { kubeadmApi: "kubeadm.k8s.io/v1beta4", pause: "3.10.1" },
} as const;
export type KubernetesMinor = keyof typeof KUBERNETES_MINORS;
export const KUBERNETES_MINOR_NAMES = Object.keys(KUBERNETES_MINORS) as KubernetesMinor[];

/** "1.34.4" -> "1.34" when that minor is known; undefined otherwise. */
export function kubernetesMinorOf(version: string): KubernetesMinor | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) return undefined;
  const minor = `${match[1]}.${match[2]}`;
  return (KUBERNETES_MINOR_NAMES as string[]).includes(minor) ? (minor as KubernetesMinor) : undefined;
}

/** The pause image kubeadm of that version's minor uses; also containerd's sandbox image. Throws for an unknown minor. */
export function pauseImageFor(kubernetesVersion: string): string {
  const minor = kubernetesMinorOf(kubernetesVersion);
  if (minor === undefined) throw new Error(`Kubernetes version '${kubernetesVersion}' is not in the catalog`);
  return `registry.k8s.io/pause:${KUBERNETES_MINORS[minor].pause}`;
}

/**
 * Smallest VM a node role can run on. Windows: the Kubernetes docs suggest 4 cores, 8 GB, 50 GB;
 * below 2 vCPU / 4 GiB the kubelet, containerd and one OpenTwin container do not fit. Debian:
 * kubeadm's preflight demands 2 CPUs and 1700 MB on a control plane.
 */
export const MINIMUM_SIZES = {
  controlPlane: { vcpu: 2, memoryGiB: 2, diskGiB: 20 },
  linuxWorker: { vcpu: 1, memoryGiB: 2, diskGiB: 20 },
  windowsWorker: { vcpu: 2, memoryGiB: 4, diskGiB: 40 },
} as const;
export type NodeRole = keyof typeof MINIMUM_SIZES;

/**
 * Largest generation 2 VM Hyper-V runs (Microsoft Learn, "Plan for Hyper-V scalability in Windows
 * Server": 240 virtual processors and 12 TB memory per generation 2 VM; a VHDX holds up to 64 TB).
 */
export const MAXIMUM_SIZE = { vcpu: 240, memoryGiB: 12_288, diskGiB: 65_536 } as const;

/** Flannel VXLAN values Windows accepts (flannel Documentation/backends.md, Windows section). */
export const WINDOWS_VXLAN = { minimumVni: 4096, port: 4789 } as const;

/** Longest NetBIOS computer name Windows accepts. */
export const WINDOWS_COMPUTER_NAME_MAX = 15;

/** OpenTwin service ports (OpenTwin Scripts/Launcher/OpenTwin_set_up_service_args.bat). */
export const OPENTWIN_DEFAULT_PORTS = {
  logger: 8090,
  gss: 8091,
  auth: 8092,
  lss: 8093,
  gds: 9094,
  lds: 9095,
} as const;
export type OpenTwinServiceName = keyof typeof OPENTWIN_DEFAULT_PORTS;
export const OPENTWIN_SERVICE_NAMES = Object.keys(OPENTWIN_DEFAULT_PORTS) as OpenTwinServiceName[];
