/**
 * Composes the four levels from a validated stack: Hyper-V VMs and the kubeadm cluster (or an
 * existing cluster), Flannel, then the PKI and OpenTwin. Config is already read and checked.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Flannel } from "../components/network/flannel";
import type { WindowsBuildName } from "../components/lib/catalog";
import type { LoadedStack } from "./config/load";
import { existingCluster, hyperVCluster, type Cluster } from "./cluster";
import type { OpenTwinEndpoints } from "../components/opentwin/endpoints";
import { deployWorkloads } from "./workloads";
import { hasWindowsNodes } from "./config/rules";

export interface StackOutputs {
  readonly apiEndpoint: string | undefined;
  readonly namespace: pulumi.Output<string>;
  readonly caCertificate: pulumi.Output<string>;
  readonly publicUrls: Record<string, string>;
}

export function deployStack({ config, secrets }: LoadedStack): StackOutputs {
  const cluster: Cluster =
    config.cluster.target === "hyperv"
      ? hyperVCluster(config, secrets)
      : existingCluster(secrets, { nodeName: config.cluster.mongoNode!, onControlPlane: config.cluster.mongoOnControlPlane });

  const networkReady: pulumi.Resource[] = [];
  if (config.flannel.enabled) {
    const endpoint = cluster.endpoint ?? config.cluster.apiServer;
    networkReady.push(
      new Flannel(
        "flannel",
        {
          podCidr: config.network.podCidr,
          serviceCidr: config.network.serviceCidr,
          vni: config.flannel.vni,
          port: config.flannel.port,
          images: config.flannel.images,
          apiServer: endpoint!,
          windows: { enabled: hasWindowsNodes(config), build: config.windowsWorkers.windowsBuild as WindowsBuildName },
          kubernetesVersion: config.kubernetes.version,
        },
        { provider: cluster.provider, dependsOn: cluster.nodesReady },
      ),
    );
  }

  const { pki, openTwin } = deployWorkloads(config, secrets, cluster, networkReady);
  return {
    apiEndpoint: cluster.endpoint === undefined ? undefined : `https://${cluster.endpoint.host}:${cluster.endpoint.port}`,
    namespace: openTwin.namespace,
    caCertificate: pki.caCertificate,
    publicUrls: publicUrls(openTwin.endpoints),
  };
}

/** The addresses the desktop front end reaches, for the stack's outputs. */
function publicUrls(endpoints: OpenTwinEndpoints): Record<string, string> {
  return { ...endpoints.ownUrl, ...Object.fromEntries(endpoints.lds.map((instance) => [instance.name, instance.url])), mongodb: endpoints.mongodbPublic };
}
