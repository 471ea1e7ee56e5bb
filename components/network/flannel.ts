/** Flannel VXLAN overlay: Linux DaemonSet plus Windows HostProcess flanneld and kube-proxy. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { WindowsBuildName } from "../lib/catalog";
import { flannelManifests, type FlannelManifest } from "./manifests";
import type { FlannelImages, FlannelValues } from "./types";
import { flannelProblems } from "./validate";

export interface FlannelArgs {
  /** Cluster pod network (net-conf.json "Network"). Default "10.244.0.0/16". */
  readonly podCidr?: string;
  /** Service network, excluded from outbound NAT and routed through the overlay on Windows. Default "10.96.0.0/12". */
  readonly serviceCidr?: string;
  /** VXLAN network identifier; >= 4096 when Windows is enabled. Default 4096. */
  readonly vni?: number;
  /** VXLAN UDP port; 4789 when Windows is enabled. Default 4789. */
  readonly port?: number;
  /** Pinned images of the four daemons. Required (the Windows ones are the project's own builds). */
  readonly images: FlannelImages;
  /** Control-plane endpoint for the Windows daemons (KUBERNETES_SERVICE_HOST/PORT). Required. */
  readonly apiServer: { readonly host: string; readonly port: number };
  /** Windows flanneld and kube-proxy: rendered only when enabled, on nodes of exactly this build. Required. */
  readonly windows: { readonly enabled: boolean; readonly build: WindowsBuildName };
  /** Kubernetes version of the cluster, e.g. "1.34.4"; the Windows kube-proxy image tag must name it. Required. */
  readonly kubernetesVersion: string;
  /** Minutes Pulumi waits for the Linux DaemonSet rollout before failing. Default 10. */
  readonly linuxTimeoutMinutes?: number;
  /** Minutes Pulumi waits for a Windows DaemonSet rollout (slow image pulls) before failing. Default 30. */
  readonly windowsTimeoutMinutes?: number;
}

/** Turns the args into the plain values the manifests are built from, defaults applied. */
export function flannelValues(args: FlannelArgs): FlannelValues {
  return {
    podCidr: args.podCidr ?? "10.244.0.0/16",
    serviceCidr: args.serviceCidr ?? "10.96.0.0/12",
    vni: args.vni ?? 4096,
    port: args.port ?? 4789,
    images: args.images,
    apiServer: args.apiServer,
    windows: args.windows,
    kubernetesVersion: args.kubernetesVersion,
    timeoutSeconds: {
      linux: (args.linuxTimeoutMinutes ?? 10) * 60,
      windows: (args.windowsTimeoutMinutes ?? 30) * 60,
    },
  };
}

export class Flannel extends pulumi.ComponentResource {
  /** Namespace all Flannel objects live in ("kube-flannel"). */
  public readonly namespace: pulumi.Output<string>;
  /** HNS/CNI network name on Windows ("flannel.<vni>"), the value of KUBE_NETWORK. */
  public readonly windowsNetworkName: string;
  /** Names of the DaemonSets this component manages (Windows ones only when enabled). */
  public readonly daemonSets: pulumi.Output<string>[];

  constructor(name: string, args: FlannelArgs, opts?: pulumi.ComponentResourceOptions) {
    super("opentwin:network:Flannel", name, {}, opts);
    const provider = opts?.provider ?? (Array.isArray(opts?.providers) ? undefined : opts?.providers?.kubernetes);
    if (provider === undefined) {
      throw new Error(`Flannel ${name}: opts.provider must be the cluster's Kubernetes provider (default providers are not used)`);
    }
    const values = flannelValues(args);
    const problems = flannelProblems(values);
    if (problems.length > 0) {
      throw new Error(`Flannel ${name} has invalid arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }

    const created = new Map<string, pulumi.CustomResource>();
    const daemonSets: pulumi.Output<string>[] = [];
    let namespace: k8s.core.v1.Namespace | undefined;
    for (const manifest of flannelManifests(values)) {
      const dependsOn = [...created.values()].filter((r) => manifest.kind === "DaemonSet" || r === namespace);
      const minutes = manifest.role === "linux" ? values.timeoutSeconds.linux / 60 : values.timeoutSeconds.windows / 60;
      const options: pulumi.CustomResourceOptions = {
        parent: this,
        provider,
        dependsOn,
        ...(manifest.kind === "DaemonSet" ? { customTimeouts: { create: `${minutes}m`, update: `${minutes}m`, delete: "10m" } } : {}),
      };
      const resource = createObject(`${name}-${manifest.role}`, manifest, options);
      if (manifest.kind === "Namespace") namespace = resource as k8s.core.v1.Namespace;
      if (manifest.kind === "DaemonSet") daemonSets.push((resource as k8s.apps.v1.DaemonSet).metadata.name);
      created.set(manifest.role, resource);
    }
    if (namespace === undefined) throw new Error("Flannel: the manifests contain no Namespace");

    this.namespace = namespace.metadata.name;
    this.windowsNetworkName = `flannel.${values.vni}`;
    this.daemonSets = daemonSets;
    this.registerOutputs({ namespace: this.namespace, windowsNetworkName: this.windowsNetworkName, daemonSets });
  }
}

function createObject(name: string, manifest: FlannelManifest, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  switch (manifest.kind) {
    case "Namespace":
      return new k8s.core.v1.Namespace(name, manifest.object, opts);
    case "ServiceAccount":
      return new k8s.core.v1.ServiceAccount(name, manifest.object, opts);
    case "ClusterRole":
      return new k8s.rbac.v1.ClusterRole(name, manifest.object, opts);
    case "ClusterRoleBinding":
      return new k8s.rbac.v1.ClusterRoleBinding(name, manifest.object, opts);
    case "ConfigMap":
      return new k8s.core.v1.ConfigMap(name, manifest.object, opts);
    case "DaemonSet":
      return new k8s.apps.v1.DaemonSet(name, manifest.object, opts);
  }
}
