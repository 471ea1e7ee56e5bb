$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''create VM otwin2'' failed: ' + $_.Exception.Message)
  exit 1
}
$vmName = 'otwin2'
$vmRoot = 'E:\Hyper-V\OpenTwin'
$vmDir = Join-Path $vmRoot $vmName
$osDisk = Join-Path $vmDir ($vmName + '.vhdx')
$seedDisk = Join-Path $vmDir ($vmName + '-cidata.vhdx')
$baseDisk = 'E:\Images\WS2022-core-sysprep.vhdx'
$switchName = 'OpenTwin Production'
$utf8 = New-Object System.Text.UTF8Encoding $false

$existing = Get-VM -Name $vmName -ErrorAction SilentlyContinue
if (($null -ne $existing) -and ($existing.Notes -eq 'opentwin: provisioned')) {
  # A re-run after the stack changed the VM's shape: compare, and stop on any difference (nothing is changed in place).
  $drift = @()
  $wantVcpu = 8
  $wantMemory = 32 * 1GB
  $wantDisk = 200 * 1GB
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
$diskBytes = 200 * 1GB
if ((Get-VHD -Path $osDisk).Size -lt $diskBytes) { Resize-VHD -Path $osDisk -SizeBytes $diskBytes }
$memoryBytes = 32 * 1GB
New-VM -Name $vmName -Generation 2 -MemoryStartupBytes $memoryBytes -VHDPath $osDisk -SwitchName $switchName -Path $vmRoot | Out-Null
Set-VM -Name $vmName -Notes 'opentwin: provisioning'
# The kubelet reads memory capacity once: static memory only.
Set-VMMemory -VMName $vmName -DynamicMemoryEnabled $false -StartupBytes $memoryBytes
Set-VMProcessor -VMName $vmName -Count 8
Set-VMFirmware -VMName $vmName -EnableSecureBoot On -SecureBootTemplate 'MicrosoftWindows' -FirstBootDevice (Get-VMHardDiskDrive -VMName $vmName | Select-Object -First 1)
Set-VM -Name $vmName -AutomaticCheckpointsEnabled $false

# unattend.xml (and the first-boot script) into the new disk before its first start.
$disk = Mount-VHD -Path $osDisk -Passthru | Get-Disk
try {
  $windowsRoot = $null
  foreach ($partition in @(Get-Partition -DiskNumber $disk.Number | Where-Object { $_.Type -eq 'Basic' })) {
    if (-not [char]::IsLetter($partition.DriveLetter)) {
      $partition | Add-PartitionAccessPath -AssignDriveLetter
      $partition = Get-Partition -DiskNumber $disk.Number -PartitionNumber $partition.PartitionNumber
    }
    $root = [string]$partition.DriveLetter + ':\'
    if (Test-Path -LiteralPath (Join-Path $root 'Windows\System32')) { $windowsRoot = $root; break }
  }
  if ($null -eq $windowsRoot) { throw "no Windows partition on $osDisk" }
  $panther = Join-Path $windowsRoot 'Windows\Panther'
  New-Item -ItemType Directory -Force -Path $panther | Out-Null
  [IO.File]::WriteAllText((Join-Path $panther 'unattend.xml'), $Stdin.secrets.unattendXml, $utf8)
  $setupScript = Join-Path $windowsRoot 'Windows\Setup\Scripts\opentwin-firstboot.ps1'
  New-Item -ItemType Directory -Force -Path (Split-Path -Parent $setupScript) | Out-Null
  [IO.File]::WriteAllText($setupScript, $Stdin.secrets.setupScript, (New-Object System.Text.UTF8Encoding $true))
} finally {
  Dismount-VHD -Path $osDisk
}

Start-VM -Name $vmName
# Marked provisioned only once it runs: a failed Start-VM leaves it "provisioning", rebuilt by a re-run.
Set-VM -Name $vmName -Notes 'opentwin: provisioned'
Write-Output "VM $vmName created and started"
exit 0
