/** Which machine an SSH address belongs to, so rendered scripts can be filed per machine. */
import { placedNodes } from "./config/rules";
import type { StackConfig } from "./config/schema";

export function machineAddresses(config: StackConfig): Map<string, string> {
  const map = new Map<string, string>();
  for (const host of config.hosts) map.set(host.sshAddress, host.name);
  for (const { node } of placedNodes(config)) map.set(node.address, node.name);
  return map;
}
