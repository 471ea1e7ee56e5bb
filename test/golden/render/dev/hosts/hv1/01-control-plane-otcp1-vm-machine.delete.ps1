$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''remove VM otcp1'' failed: ' + $_.Exception.Message)
  exit 1
}
$vmName = 'otcp1'
$vmRoot = 'D:\Hyper-V\OpenTwin dev'
$vmDir = Join-Path $vmRoot $vmName
$osDisk = Join-Path $vmDir ($vmName + '.vhdx')
$seedDisk = Join-Path $vmDir ($vmName + '-cidata.vhdx')
$vm = Get-VM -Name $vmName -ErrorAction SilentlyContinue
if ($null -ne $vm) {
  if ($vm.State -ne 'Off') { Stop-VM -Name $vmName -TurnOff -Force }
  Remove-VM -Name $vmName -Force
}
foreach ($disk in @($osDisk, $seedDisk)) {
  if ((Test-Path -LiteralPath $disk) -and (Get-VHD -Path $disk).Attached) { Dismount-VHD -Path $disk }
}
if (Test-Path -LiteralPath $vmDir) { Remove-Item -LiteralPath $vmDir -Recurse -Force }
Write-Output "VM $vmName removed"
exit 0
