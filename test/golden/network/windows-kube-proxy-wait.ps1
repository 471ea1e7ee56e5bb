# Rendered by components/network/scripts.ts. Runs as NT AUTHORITY\SYSTEM in a HostProcess container.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Stop-Step([string]$step, [string]$message) {
  Write-Output "kube-proxy wait-for-network failed in step '$step': $message"
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

$networkName = 'flannel.4096'
$deadline = (Get-Date).AddSeconds(600)
try { Import-Hns } catch { Stop-Step 'hns-module' $_.Exception.Message }
while ($true) {
  $network = @(Get-HnsNetwork | Where-Object { $_.Name -eq $networkName })
  if ($network.Count -gt 0) {
    Write-Output "HNS network $networkName exists"
    exit 0
  }
  if ((Get-Date) -gt $deadline) { Stop-Step 'wait-for-network' "HNS network $networkName did not appear within 600 seconds; is flanneld running on this node?" }
  Write-Output "waiting for HNS network $networkName"
  Start-Sleep -Seconds 5
}
