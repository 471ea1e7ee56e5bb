/**
 * PowerShell run inside the Windows HostProcess containers (delivered as ConfigMap data). Pure
 * renderers: values go in as single-quoted literals, nothing secret is ever part of a script (the
 * service-account token is referenced by path, never copied).
 */
import { psQuote } from "../scripts/powershell";
import { IMAGE_PATHS, WINDOWS_HOST_PATHS, WINDOWS_MOUNTS, windowsNetworkName } from "./types";


/** Functions every script shares: failing with the step's name, finding mounted files, the kubeconfig. */
function prelude(script: string): string {
  return `# Rendered by components/network/scripts.ts. Runs as NT AUTHORITY\\SYSTEM in a HostProcess container.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Stop-Step([string]$step, [string]$message) {
  Write-Output "${script} failed in step '$step': $message"
  exit 1
}

# containerd >= 1.7 binds volumes at their mountPath; containerd 1.6 puts them under the sandbox mount point.
function Resolve-Mounted([string]$path) {
  if (Test-Path -LiteralPath $path) { return (Resolve-Path -LiteralPath $path).Path }
  if ($env:CONTAINER_SANDBOX_MOUNT_POINT) {
    $inSandbox = Join-Path $env:CONTAINER_SANDBOX_MOUNT_POINT $path
    if (Test-Path -LiteralPath $inSandbox) { return (Resolve-Path -LiteralPath $inSandbox).Path }
  }
  Stop-Step 'mounts' "$path is not mounted"
}

function Get-ImageFile([string]$relative) {
  $path = Join-Path $env:CONTAINER_SANDBOX_MOUNT_POINT $relative
  if (-not (Test-Path -LiteralPath $path)) { Stop-Step 'image' "$relative is missing from the image" }
  return $path
}

# Writes UTF-8 without a byte-order mark, and only when the content changed.
function Set-FileIfChanged([string]$path, [string]$text) {
  $folder = Split-Path -Parent $path
  if (-not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Force -Path $folder | Out-Null }
  if ((Test-Path -LiteralPath $path) -and ([IO.File]::ReadAllText($path) -ceq $text)) { return $false }
  [IO.File]::WriteAllText($path, $text)
  return $true
}

# A kubeconfig that reaches the API server directly (the kubernetes Service needs the overlay first)
# and reads the pod's service-account token from its file, so the token never lands on disk twice.
function Write-Kubeconfig([string]$path, [string]$server) {
  $tokenDir = Resolve-Mounted ${psQuote(WINDOWS_MOUNTS.serviceAccount)}
  $kubeconfig = @"
apiVersion: v1
kind: Config
clusters:
- name: cluster
  cluster:
    server: '$server'
    certificate-authority: '$(Join-Path $tokenDir 'ca.crt')'
users:
- name: service-account
  user:
    tokenFile: '$(Join-Path $tokenDir 'token')'
contexts:
- name: default
  context:
    cluster: cluster
    user: service-account
current-context: default
"@
  Set-FileIfChanged $path $kubeconfig | Out-Null
}

function Import-Hns {
  if (Get-Command Get-HnsNetwork -ErrorAction SilentlyContinue) { return }
  Import-Module (Get-ImageFile ${psQuote(IMAGE_PATHS.hnsModule)}) -DisableNameChecking
}
`;
}

function apiServerUrl(apiServer: { host: string; port: number }): string {
  const host = apiServer.host.includes(":") ? `[${apiServer.host}]` : apiServer.host;
  return `https://${host}:${apiServer.port}`;
}

export interface FlanneldScriptValues {
  readonly vni: number;
  readonly apiServer: { readonly host: string; readonly port: number };
}

/** start.ps1 of the Windows flanneld DaemonSet: installs CNI binaries and config, then runs flanneld. */
export function renderFlanneldScript(values: FlanneldScriptValues): string {
  return `${prelude("flanneld start")}
$apiServer = ${psQuote(apiServerUrl(values.apiServer))}
$cniBinDir = ${psQuote(WINDOWS_HOST_PATHS.cniBin)}
$cniConfPath = ${psQuote(WINDOWS_HOST_PATHS.cniConf)}
$stateDir = ${psQuote(WINDOWS_HOST_PATHS.flannelDir)}

# Step 1: CNI binaries (flannel, sdnoverlay, host-local) from the image; a binary in use is not overwritten when unchanged.
try {
  New-Item -ItemType Directory -Force -Path $cniBinDir | Out-Null
  foreach ($binary in Get-ChildItem -LiteralPath (Get-ImageFile ${psQuote(IMAGE_PATHS.cniDir)}) -Filter '*.exe') {
    $target = Join-Path $cniBinDir $binary.Name
    if ((Test-Path -LiteralPath $target) -and ((Get-FileHash -LiteralPath $target).Hash -eq (Get-FileHash -LiteralPath $binary.FullName).Hash)) { continue }
    Copy-Item -LiteralPath $binary.FullName -Destination $target -Force
    Write-Output "installed $($binary.Name) in $cniBinDir"
  }
} catch { Stop-Step 'cni-binaries' $_.Exception.Message }

# Step 2: CNI config for network ${windowsNetworkName(values.vni)} with this node's address as provider address.
try {
  if (-not $env:HOST_IP) { Stop-Step 'cni-config' 'HOST_IP is not set (status.hostIP)' }
  $template = [IO.File]::ReadAllText((Join-Path (Resolve-Mounted ${psQuote(WINDOWS_MOUNTS.flannelScripts)}) 'cni-conf.json'))
  $placeholder = '"ProviderAddress": ""'
  if (-not $template.Contains($placeholder)) { Stop-Step 'cni-config' 'the CNI template has no empty ProviderAddress' }
  $cniConf = $template.Replace($placeholder, '"ProviderAddress": "' + $env:HOST_IP + '"')
  if (Set-FileIfChanged $cniConfPath $cniConf) { Write-Output "wrote $cniConfPath" }
} catch { Stop-Step 'cni-config' $_.Exception.Message }

# Step 3: kubeconfig pointing at the control-plane endpoint.
try {
  $kubeconfigPath = Join-Path $stateDir 'kubeconfig.yaml'
  Write-Kubeconfig $kubeconfigPath $apiServer
} catch { Stop-Step 'kubeconfig' $_.Exception.Message }

# Step 4: flanneld (creates or reuses the HNS network ${windowsNetworkName(values.vni)}).
$netConf = Join-Path (Resolve-Mounted ${psQuote(WINDOWS_MOUNTS.netConf)}) 'net-conf.json'
$flanneld = Get-ImageFile ${psQuote(IMAGE_PATHS.flanneldExe)}
Write-Output "starting flanneld against $apiServer"
$arguments = @('--kube-subnet-mgr', "--kubeconfig-file=$kubeconfigPath", "--net-config-path=$netConf")
& $flanneld @arguments
Stop-Step 'flanneld' "flanneld exited with code $LASTEXITCODE"
`;
}

export interface KubeProxyScriptValues {
  readonly vni: number;
  readonly podCidr: string;
  readonly apiServer: { readonly host: string; readonly port: number };
}

/** wait.ps1 of the kube-proxy init container: waits (bounded) until flanneld created the HNS network. */
export function renderWaitForNetworkScript(values: { vni: number; timeoutSeconds: number }): string {
  return `${prelude("kube-proxy wait-for-network")}
$networkName = ${psQuote(windowsNetworkName(values.vni))}
$deadline = (Get-Date).AddSeconds(${values.timeoutSeconds})
try { Import-Hns } catch { Stop-Step 'hns-module' $_.Exception.Message }
while ($true) {
  $network = @(Get-HnsNetwork | Where-Object { $_.Name -eq $networkName })
  if ($network.Count -gt 0) {
    Write-Output "HNS network $networkName exists"
    exit 0
  }
  if ((Get-Date) -gt $deadline) { Stop-Step 'wait-for-network' "HNS network $networkName did not appear within ${values.timeoutSeconds} seconds; is flanneld running on this node?" }
  Write-Output "waiting for HNS network $networkName"
  Start-Sleep -Seconds 5
}
`;
}

/** start.ps1 of the Windows kube-proxy DaemonSet: reserves the source VIP, then runs kube-proxy in kernelspace mode. */
export function renderKubeProxyScript(values: KubeProxyScriptValues): string {
  return `${prelude("kube-proxy start")}
$apiServer = ${psQuote(apiServerUrl(values.apiServer))}
$networkName = ${psQuote(windowsNetworkName(values.vni))}
$cniBinDir = ${psQuote(WINDOWS_HOST_PATHS.cniBin)}
$stateDir = ${psQuote(WINDOWS_HOST_PATHS.kubeProxyDir)}
$sourceVipFile = Join-Path $stateDir 'source-vip.json'

# Step 1: the node's pod subnet, from the HNS network flanneld created.
try {
  Import-Hns
  $network = @(Get-HnsNetwork | Where-Object { $_.Name -eq $networkName })
  if ($network.Count -eq 0) { Stop-Step 'network' "HNS network $networkName does not exist" }
  $subnet = [string]$network[0].Subnets[0].AddressPrefix
  if (-not $subnet) { Stop-Step 'network' "HNS network $networkName has no subnet" }
} catch { Stop-Step 'network' $_.Exception.Message }

# Step 2: source VIP, reserved from the pod subnet with host-local (same store as the pods), kept across restarts.
try {
  $vip = $null
  if (Test-Path -LiteralPath $sourceVipFile) {
    try {
      $saved = Get-Content -Raw -LiteralPath $sourceVipFile | ConvertFrom-Json
      if ($saved.subnet -eq $subnet) { $vip = [string]$saved.ip }
    } catch { Write-Output "ignoring unreadable $sourceVipFile" }
  }
  if (-not $vip) {
    $request = '{"cniVersion":"0.3.0","name":"' + $networkName + '","ipam":{"type":"host-local","ranges":[[{"subnet":"' + $subnet + '"}]],"dataDir":"/var/lib/cni/networks"}}'
    $env:CNI_COMMAND = 'ADD'
    $env:CNI_CONTAINERID = 'kube-proxy-source-vip'
    $env:CNI_NETNS = 'none'
    $env:CNI_IFNAME = 'source-vip'
    $env:CNI_PATH = $cniBinDir
    $reply = ($request | & (Join-Path $cniBinDir 'host-local.exe')) -join ''
    if ($LASTEXITCODE -ne 0) { Stop-Step 'source-vip' "host-local failed: $reply" }
    $vip = ((($reply | ConvertFrom-Json).ips)[0].address -split '/')[0]
    if (-not $vip) { Stop-Step 'source-vip' "host-local returned no address: $reply" }
    Set-FileIfChanged $sourceVipFile ((@{ subnet = $subnet; ip = $vip } | ConvertTo-Json -Compress)) | Out-Null
  }
  Write-Output "source VIP $vip in $subnet"
} catch { Stop-Step 'source-vip' $_.Exception.Message }

# Step 3: kubeconfig pointing at the control-plane endpoint (kube-proxy itself programs the kubernetes Service).
try {
  $kubeconfigPath = Join-Path $stateDir 'kubeconfig.yaml'
  Write-Kubeconfig $kubeconfigPath $apiServer
} catch { Stop-Step 'kubeconfig' $_.Exception.Message }

# Step 4: kube-proxy, kernelspace (winkernel) on network $networkName (KUBE_NETWORK).
$kubeProxy = Get-ImageFile ${psQuote(IMAGE_PATHS.kubeProxyExe)}
Write-Output "starting kube-proxy against $apiServer"
$arguments = @(
  '--proxy-mode=kernelspace',
  "--hostname-override=$env:NODE_NAME",
  "--source-vip=$vip",
  "--kubeconfig=$kubeconfigPath",
  ${psQuote(`--cluster-cidr=${values.podCidr}`)},
  '--v=2'
)
& $kubeProxy @arguments
Stop-Step 'kube-proxy' "kube-proxy exited with code $LASTEXITCODE"
`;
}

/**
 * The container command of a HostProcess container: finds the mounted script (either containerd
 * layout) and runs it, passing its exit code on.
 */
export function hostProcessCommand(mountPath: string, script: string): string[] {
  const bootstrap = [
    `$dir = ${psQuote(mountPath)}`,
    "if (-not (Test-Path -LiteralPath $dir)) { $dir = Join-Path $env:CONTAINER_SANDBOX_MOUNT_POINT $dir }",
    `& (Join-Path $dir ${psQuote(script)})`,
    "exit $LASTEXITCODE",
  ].join("; ");
  return ["powershell.exe", "-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command", bootstrap];
}
