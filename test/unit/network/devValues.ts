/** The dev stack's Flannel values (stacks/Pulumi.dev.yaml). */
import { flannelValues } from "../../../components/network/flannel";
import type { FlannelValues } from "../../../components/network/types";

export const DEV_VALUES: FlannelValues = flannelValues({
  podCidr: "10.244.0.0/16",
  serviceCidr: "10.96.0.0/12",
  vni: 4096,
  port: 4789,
  images: {
    flannel: "ghcr.io/flannel-io/flannel:v0.27.4",
    cniPlugin: "ghcr.io/flannel-io/flannel-cni-plugin:v1.7.1-flannel2",
    windowsFlanneld: "registry.opentwin.local/k8s/flannel-hostprocess:v0.27.4",
    windowsKubeProxy: "registry.opentwin.local/k8s/kube-proxy-hostprocess:v1.34.4",
  },
  apiServer: { host: "192.168.50.11", port: 6443 },
  windows: { enabled: true, build: "ltsc2022" },
  kubernetesVersion: "1.34.4",
});
