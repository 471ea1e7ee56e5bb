# Rendered by components/network/scripts.ts. Runs as NT AUTHORITY\SYSTEM in a HostProcess container.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Stop-Step([string]$step, [string]$message) {
  Write-Output "flanneld start failed in step '$step': $message"
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
$cniBinDir = 'C:\opt\cni\bin'
$cniConfPath = 'C:\etc\cni\net.d\10-flannel.conf'
$stateDir = 'C:\etc\kube-flannel-windows'

# Step 1: CNI binaries (flannel, sdnoverlay, host-local) from the image; a binary in use is not overwritten when unchanged.
try {
  New-Item -ItemType Directory -Force -Path $cniBinDir | Out-Null
  foreach ($binary in Get-ChildItem -LiteralPath (Get-ImageFile 'cni') -Filter '*.exe') {
    $target = Join-Path $cniBinDir $binary.Name
    if ((Test-Path -LiteralPath $target) -and ((Get-FileHash -LiteralPath $target).Hash -eq (Get-FileHash -LiteralPath $binary.FullName).Hash)) { continue }
    Copy-Item -LiteralPath $binary.FullName -Destination $target -Force
    Write-Output "installed $($binary.Name) in $cniBinDir"
  }
} catch { Stop-Step 'cni-binaries' $_.Exception.Message }

# Step 2: CNI config for network flannel.4096 with this node's address as provider address.
try {
  if (-not $env:HOST_IP) { Stop-Step 'cni-config' 'HOST_IP is not set (status.hostIP)' }
  $template = [IO.File]::ReadAllText((Join-Path (Resolve-Mounted '/opentwin/flannel/windows') 'cni-conf.json'))
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

# Step 4: flanneld (creates or reuses the HNS network flannel.4096).
$netConf = Join-Path (Resolve-Mounted '/opentwin/flannel/net-conf') 'net-conf.json'
$flanneld = Get-ImageFile 'flannel\flanneld.exe'
Write-Output "starting flanneld against $apiServer"
$arguments = @('--kube-subnet-mgr', "--kubeconfig-file=$kubeconfigPath", "--net-config-path=$netConf")
& $flanneld @arguments
Stop-Step 'flanneld' "flanneld exited with code $LASTEXITCODE"
