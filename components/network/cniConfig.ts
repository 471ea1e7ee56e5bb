/** JSON configuration files of Flannel: net-conf.json and the Linux and Windows CNI configs. Pure. */
import { windowsNetworkName } from "./types";

/** Flannel's network config: the stack's pod CIDR, VXLAN with the stack's VNI and port. */
export function renderNetConf(values: { podCidr: string; vni: number; port: number }): string {
  const conf = {
    Network: values.podCidr,
    Backend: { Type: "vxlan", VNI: values.vni, Port: values.port },
  };
  return `${JSON.stringify(conf, null, 2)}\n`;
}

/** Linux CNI conflist: flannel delegating to the bridge plugin, plus portmap. */
export function renderLinuxCniConf(): string {
  const conf = {
    name: "cbr0",
    cniVersion: "0.3.1",
    plugins: [
      { type: "flannel", delegate: { hairpinMode: true, isDefaultGateway: true } },
      { type: "portmap", capabilities: { portMappings: true } },
    ],
  };
  return `${JSON.stringify(conf, null, 2)}\n`;
}

/**
 * Windows CNI config: flannel delegating to sdnoverlay. Traffic to the service and pod networks is
 * not NATed; the service network is routed through the VXLAN encapsulation. The provider address
 * (the node's own IP) is left empty and filled in on the node by the flanneld start script.
 */
export function renderWindowsCniConf(values: { podCidr: string; serviceCidr: string; vni: number }): string {
  const conf = {
    name: windowsNetworkName(values.vni),
    cniVersion: "0.3.0",
    type: "flannel",
    capabilities: { portMappings: true, dns: true },
    delegate: {
      type: "sdnoverlay",
      AdditionalArgs: [
        {
          Name: "EndpointPolicy",
          Value: { Type: "OutBoundNAT", Settings: { Exceptions: [values.serviceCidr, values.podCidr] } },
        },
        {
          Name: "EndpointPolicy",
          Value: { Type: "SDNROUTE", Settings: { DestinationPrefix: values.serviceCidr, NeedEncap: true } },
        },
        {
          Name: "EndpointPolicy",
          Value: { Type: "ProviderAddress", Settings: { ProviderAddress: "" } },
        },
      ],
    },
  };
  return `${JSON.stringify(conf, null, 2)}\n`;
}
