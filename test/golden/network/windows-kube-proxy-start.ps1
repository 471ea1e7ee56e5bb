# Rendered by components/network/scripts.ts. Runs as NT AUTHORITY\SYSTEM in a HostProcess container.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Stop-Step([string]$step, [string]$message) {
  Write-Output "kube-proxy start failed in step '$step': $message"
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
  $tokenDir = Resolve-Mounted '/var/run/secrets/kubernetes.io/serviceaccount'
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
  Import-Module (Get-ImageFile 'hns\hns.psm1') -DisableNameChecking
}

$apiServer = 'https://192.168.50.11:6443'
$networkName = 'flannel.4096'
$cniBinDir = 'C:\opt\cni\bin'
$stateDir = 'C:\var\lib\kube-proxy-windows'
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
$kubeProxy = Get-ImageFile 'kube-proxy\kube-proxy.exe'
Write-Output "starting kube-proxy against $apiServer"
$arguments = @(
  '--proxy-mode=kernelspace',
  "--hostname-override=$env:NODE_NAME",
  "--source-vip=$vip",
  "--kubeconfig=$kubeconfigPath",
  '--cluster-cidr=10.244.0.0/16',
  '--v=2'
)
& $kubeProxy @arguments
Stop-Step 'kube-proxy' "kube-proxy exited with code $LASTEXITCODE"
