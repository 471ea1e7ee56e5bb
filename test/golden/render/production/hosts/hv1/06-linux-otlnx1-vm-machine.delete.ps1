$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''remove VM otlnx1'' failed: ' + $_.Exception.Message)
  exit 1
}
$vmName = 'otlnx1'
$vmRoot = 'E:\Hyper-V\OpenTwin'
$vmDir = Join-Path $vmRoot $vmName
$osDisk = Join-Path $vmDir ($vmName + '.vhdx')
$seedDisk = Join-Path $vmDir ($vmName + '-cidata.vhdx')
$vm = Get-VM -Name $vmName -ErrorAction SilentlyContinue
if ($null -ne $vm) {
  if (-not ([string]$vm.Notes).StartsWith('opentwin:')) { throw "VM $vmName exists but was not created by this program (its Notes do not start with 'opentwin:'); it was left alone: rename or remove it, or give the node another name" }
  if ($vm.State -ne 'Off') { Stop-VM -Name $vmName -TurnOff -Force }
  Remove-VM -Name $vmName -Force
}
foreach ($disk in @($osDisk, $seedDisk)) {
  if ((Test-Path -LiteralPath $disk) -and (Get-VHD -Path $disk).Attached) { Dismount-VHD -Path $disk }
}
if (Test-Path -LiteralPath $vmDir) {
  if (-not (Test-Path -LiteralPath (Join-Path $vmDir '.opentwin'))) { throw "folder $vmDir exists but was not created by this program; it was left alone: move it or choose another vmPath" }
  Remove-Item -LiteralPath $vmDir -Recurse -Force
}
Write-Output "VM $vmName removed"
exit 0
