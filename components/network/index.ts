export { Flannel, flannelValues, type FlannelArgs } from "./flannel";
export { flannelManifests, type FlannelManifest } from "./manifests";
export { flannelProblems } from "./validate";
export { renderNetConf, renderLinuxCniConf, renderWindowsCniConf } from "./cniConfig";
export { renderFlanneldScript, renderKubeProxyScript, renderWaitForNetworkScript, hostProcessCommand, } from "./scripts";
export { NAMES, windowsNetworkName, type FlannelImages, type FlannelValues } from "./types";
