$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''create VM otcp1'' failed: ' + $_.Exception.Message)
  exit 1
}
$vmName = 'otcp1'
$vmRoot = 'D:\Hyper-V\OpenTwin dev'
$vmDir = Join-Path $vmRoot $vmName
$osDisk = Join-Path $vmDir ($vmName + '.vhdx')
$seedDisk = Join-Path $vmDir ($vmName + '-cidata.vhdx')
$baseDisk = 'D:\Images\debian-12-genericcloud-amd64.vhdx'
$switchName = 'OpenTwin External'
$utf8 = New-Object System.Text.UTF8Encoding $false

$existing = Get-VM -Name $vmName -ErrorAction SilentlyContinue
if (($null -ne $existing) -and ($existing.Notes -eq 'opentwin: provisioned')) {
  # A re-run after the stack changed the VM's shape: compare, and stop on any difference (nothing is changed in place).
  $drift = @()
  $wantVcpu = 2
  $wantMemory = 4 * 1GB
  $wantDisk = 40 * 1GB
  if ($existing.ProcessorCount -ne $wantVcpu) { $drift += "vcpu is $($existing.ProcessorCount), the stack asks for $wantVcpu" }
  if ($existing.MemoryStartup -ne $wantMemory) { $drift += "memory is $($existing.MemoryStartup / 1GB) GiB, the stack asks for $($wantMemory / 1GB) GiB" }
  if ($existing.DynamicMemoryEnabled) { $drift += 'dynamic memory is on, the stack asks for static memory' }
  $osVhd = $null
  if (@(Get-VMHardDiskDrive -VMName $vmName | Where-Object { $_.Path -eq $osDisk }).Count -gt 0) { $osVhd = Get-VHD -Path $osDisk }
  if ($null -eq $osVhd) {
    $drift += "the OS disk $osDisk is not attached"
  } else {
    if ($osVhd.ParentPath -ne $baseDisk) { $drift += "the OS disk's parent is $($osVhd.ParentPath), the stack asks for base disk $baseDisk" }
    $expectedDisk = $wantDisk
    if (($osVhd.ParentPath -eq $baseDisk) -and (Test-Path -LiteralPath $baseDisk)) { $expectedDisk = [Math]::Max($wantDisk, (Get-VHD -Path $baseDisk).Size) }
    if ($osVhd.Size -ne $expectedDisk) { $drift += "the OS disk is $($osVhd.Size / 1GB) GiB, the stack asks for $($expectedDisk / 1GB) GiB" }
  }
  $adapters = @(Get-VMNetworkAdapter -VMName $vmName)
  if ($adapters.Count -eq 0) { $drift += "the VM has no network adapter, the stack asks for one on switch $switchName" }
  foreach ($adapter in $adapters) {
    if ($adapter.SwitchName -ne $switchName) { $drift += "network adapter $($adapter.Name) is on switch '$($adapter.SwitchName)', the stack asks for $switchName" }
  }
  if ($drift.Count -gt 0) { throw ("VM $vmName differs from the stack: " + ($drift -join '; ') + '. ' + 'resizing a Kubernetes node in place is not done: remove the node from the stack and `pulumi up` (it is drained and removed), then add it back; or `pulumi up --replace <urn>` with the URN of this VM''s machine step (`pulumi stack --show-urns`)') }
  # Built and started once, in the stack's shape; someone may have stopped it since: start it again, nothing else.
  if ($existing.State -eq 'Paused') { Resume-VM -Name $vmName; Write-Output "VM $vmName exists: resumed"; exit 0 }
  if (@('Off', 'Saved') -contains [string]$existing.State) { Start-VM -Name $vmName; Write-Output "VM $vmName exists: started"; exit 0 }
  Write-Output "VM $vmName exists: nothing to do"
  exit 0
}
# A VM marked "provisioning" (and its folder) is what a failed run left: start again from scratch.
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

if (-not (Test-Path -LiteralPath $baseDisk)) { throw "base disk $baseDisk not found" }
if ($null -eq (Get-VMSwitch -Name $switchName -ErrorAction SilentlyContinue)) { throw "virtual switch $switchName not found" }
New-Item -ItemType Directory -Force -Path $vmDir | Out-Null
[IO.File]::WriteAllText((Join-Path $vmDir '.opentwin'), 'created by the OpenTwin Pulumi program', $utf8)
New-VHD -Path $osDisk -ParentPath $baseDisk -Differencing | Out-Null
$diskBytes = 40 * 1GB
if ((Get-VHD -Path $osDisk).Size -lt $diskBytes) { Resize-VHD -Path $osDisk -SizeBytes $diskBytes }
$memoryBytes = 4 * 1GB
New-VM -Name $vmName -Generation 2 -MemoryStartupBytes $memoryBytes -VHDPath $osDisk -SwitchName $switchName -Path $vmRoot | Out-Null
Set-VM -Name $vmName -Notes 'opentwin: provisioning'
# The kubelet reads memory capacity once: static memory only.
Set-VMMemory -VMName $vmName -DynamicMemoryEnabled $false -StartupBytes $memoryBytes
Set-VMProcessor -VMName $vmName -Count 2
Set-VMFirmware -VMName $vmName -EnableSecureBoot On -SecureBootTemplate 'MicrosoftUEFICertificateAuthority' -FirstBootDevice (Get-VMHardDiskDrive -VMName $vmName | Select-Object -First 1)
Set-VM -Name $vmName -AutomaticCheckpointsEnabled $false

# NoCloud seed: a small FAT32 disk labelled cidata.
New-VHD -Path $seedDisk -SizeBytes 64MB -Dynamic | Out-Null
$disk = Mount-VHD -Path $seedDisk -Passthru | Get-Disk
try {
  Initialize-Disk -Number $disk.Number -PartitionStyle MBR
  $partition = New-Partition -DiskNumber $disk.Number -UseMaximumSize -AssignDriveLetter
  Format-Volume -Partition $partition -FileSystem FAT32 -NewFileSystemLabel 'cidata' -Confirm:$false | Out-Null
  $root = [string](Get-Partition -DiskNumber $disk.Number -PartitionNumber $partition.PartitionNumber).DriveLetter + ':\'
  [IO.File]::WriteAllText((Join-Path $root 'user-data'), $Stdin.secrets.userData, $utf8)
  [IO.File]::WriteAllText((Join-Path $root 'meta-data'), $Stdin.secrets.metaData, $utf8)
  [IO.File]::WriteAllText((Join-Path $root 'network-config'), $Stdin.secrets.networkConfig, $utf8)
} finally {
  Dismount-VHD -Path $seedDisk
}
Add-VMHardDiskDrive -VMName $vmName -Path $seedDisk

Start-VM -Name $vmName
# Marked provisioned only once it runs: a failed Start-VM leaves it "provisioning", rebuilt by a re-run.
Set-VM -Name $vmName -Notes 'opentwin: provisioned'
Write-Output "VM $vmName created and started"
exit 0
