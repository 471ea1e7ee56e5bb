/**
 * PowerShell bodies run on a Hyper-V host (framed by powershellCommand). Every stack value enters
 * through psQuote/psInt. First-boot content arrives in the stdin document as $Stdin.secrets.
 */
import { WINDOWS_BUILDS } from "../lib/catalog";
import { psInt, psQuote } from "../scripts/powershell";
import { FIRST_BOOT_SCRIPT_PATH } from "../scripts/unattend";

/** Notes written on a VM once every create step finished and it started; a VM without it is a leftover of a failed run. */
export const PROVISIONED_MARKER = "opentwin: provisioned";
/** Notes written right after New-VM: the VM is ours but its create step has not finished. */
export const PROVISIONING_MARKER = "opentwin: provisioning";
/** File in the VM's folder that marks the folder as the program's; a folder without it is never removed. */
export const FOLDER_MARKER = ".opentwin";

/** Secure Boot template per guest OS (Debian's shim is signed by the Microsoft UEFI CA). */
export const SECURE_BOOT_TEMPLATES = {
  debian: "MicrosoftUEFICertificateAuthority",
  windows: WINDOWS_BUILDS.ltsc2022.secureBootTemplate,
} as const;

/** Names of the stdin secrets the create script reads. */
export const FIRST_BOOT_KEYS = {
  userData: "userData",
  metaData: "metaData",
  networkConfig: "networkConfig",
  unattendXml: "unattendXml",
  setupScript: "setupScript",
} as const;

export interface VmScriptArgs {
  readonly vmName: string;
  readonly vmPath: string;
  readonly switchName: string;
  /** Parent of the differencing disk. */
  readonly baseDisk: string;
  readonly os: "debian" | "windows";
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly diskGiB: number;
  /** Windows: whether the stdin carries a setup script to write next to unattend.xml. */
  readonly withSetupScript?: boolean;
}

function variables(args: Pick<VmScriptArgs, "vmName" | "vmPath">): string {
  return `$vmName = ${psQuote(args.vmName)}
$vmRoot = ${psQuote(args.vmPath)}
$vmDir = Join-Path $vmRoot $vmName
$osDisk = Join-Path $vmDir ($vmName + '.vhdx')
$seedDisk = Join-Path $vmDir ($vmName + '-cidata.vhdx')`;
}

/** Removes the VM and its folder, but only what this program created: anything else stops the step untouched. */
function removal(): string {
  return `$vm = Get-VM -Name $vmName -ErrorAction SilentlyContinue
if ($null -ne $vm) {
  if (-not ([string]$vm.Notes).StartsWith('opentwin:')) { throw "VM $vmName exists but was not created by this program (its Notes do not start with 'opentwin:'); it was left alone: rename or remove it, or give the node another name" }
  if ($vm.State -ne 'Off') { Stop-VM -Name $vmName -TurnOff -Force }
  Remove-VM -Name $vmName -Force
}
foreach ($disk in @($osDisk, $seedDisk)) {
  if ((Test-Path -LiteralPath $disk) -and (Get-VHD -Path $disk).Attached) { Dismount-VHD -Path $disk }
}
if (Test-Path -LiteralPath $vmDir) {
  if (-not (Test-Path -LiteralPath (Join-Path $vmDir ${psQuote(FOLDER_MARKER)}))) { throw "folder $vmDir exists but was not created by this program; it was left alone: move it or choose another vmPath" }
  Remove-Item -LiteralPath $vmDir -Recurse -Force
}`;
}

function cloudInitSeed(): string {
  return `# NoCloud seed: a small FAT32 disk labelled cidata.
New-VHD -Path $seedDisk -SizeBytes 64MB -Dynamic | Out-Null
$disk = Mount-VHD -Path $seedDisk -Passthru | Get-Disk
try {
  Initialize-Disk -Number $disk.Number -PartitionStyle MBR
  $partition = New-Partition -DiskNumber $disk.Number -UseMaximumSize -AssignDriveLetter
  Format-Volume -Partition $partition -FileSystem FAT32 -NewFileSystemLabel 'cidata' -Confirm:$false | Out-Null
  $root = [string](Get-Partition -DiskNumber $disk.Number -PartitionNumber $partition.PartitionNumber).DriveLetter + ':\\'
  [IO.File]::WriteAllText((Join-Path $root 'user-data'), $Stdin.secrets.${FIRST_BOOT_KEYS.userData}, $utf8)
  [IO.File]::WriteAllText((Join-Path $root 'meta-data'), $Stdin.secrets.${FIRST_BOOT_KEYS.metaData}, $utf8)
  [IO.File]::WriteAllText((Join-Path $root 'network-config'), $Stdin.secrets.${FIRST_BOOT_KEYS.networkConfig}, $utf8)
} finally {
  Dismount-VHD -Path $seedDisk
}
Add-VMHardDiskDrive -VMName $vmName -Path $seedDisk`;
}

function unattendFiles(withSetupScript: boolean): string {
  const setupPath = FIRST_BOOT_SCRIPT_PATH.replace(/^[A-Za-z]:\\/, "");
  const setup = withSetupScript
    ? `
  $setupScript = Join-Path $windowsRoot ${psQuote(setupPath)}
  New-Item -ItemType Directory -Force -Path (Split-Path -Parent $setupScript) | Out-Null
  [IO.File]::WriteAllText($setupScript, $Stdin.secrets.${FIRST_BOOT_KEYS.setupScript}, (New-Object System.Text.UTF8Encoding $true))`
    : "";
  return `# unattend.xml (and the first-boot script) into the new disk before its first start.
$disk = Mount-VHD -Path $osDisk -Passthru | Get-Disk
try {
  $windowsRoot = $null
  foreach ($partition in @(Get-Partition -DiskNumber $disk.Number | Where-Object { $_.Type -eq 'Basic' })) {
    if (-not [char]::IsLetter($partition.DriveLetter)) {
      $partition | Add-PartitionAccessPath -AssignDriveLetter
      $partition = Get-Partition -DiskNumber $disk.Number -PartitionNumber $partition.PartitionNumber
    }
    $root = [string]$partition.DriveLetter + ':\\'
    if (Test-Path -LiteralPath (Join-Path $root 'Windows\\System32')) { $windowsRoot = $root; break }
  }
  if ($null -eq $windowsRoot) { throw "no Windows partition on $osDisk" }
  $panther = Join-Path $windowsRoot 'Windows\\Panther'
  New-Item -ItemType Directory -Force -Path $panther | Out-Null
  [IO.File]::WriteAllText((Join-Path $panther 'unattend.xml'), $Stdin.secrets.${FIRST_BOOT_KEYS.unattendXml}, $utf8)${setup}
} finally {
  Dismount-VHD -Path $osDisk
}`;
}

/** What a VM that differs from the stack is told to do: nothing is changed in place. */
export const DRIFT_ADVICE =
  "resizing a Kubernetes node in place is not done: remove the node from the stack and `pulumi up` (it is drained and removed), then add it back; or `pulumi up --replace <urn>` with the URN of this VM's machine step (`pulumi stack --show-urns`)";

/**
 * On the exists path: compares the VM with the stack (processor count, startup memory and static
 * memory, the OS disk's parent and size, every network adapter's switch) and stops the step naming
 * each difference. The disk is expected at max(diskGiB, the parent's size), as the create makes it.
 */
function driftCheck(args: VmScriptArgs): string {
  return `  # A re-run after the stack changed the VM's shape: compare, and stop on any difference (nothing is changed in place).
  $drift = @()
  $wantVcpu = ${psInt(args.vcpu)}
  $wantMemory = ${psInt(args.memoryGiB)} * 1GB
  $wantDisk = ${psInt(args.diskGiB)} * 1GB
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
  if ($drift.Count -gt 0) { throw ("VM $vmName differs from the stack: " + ($drift -join '; ') + '. ' + ${psQuote(DRIFT_ADVICE)}) }`;
}

/**
 * Create: when the VM exists and is marked provisioned, it must match the stack (driftCheck: a
 * difference stops the step, naming it); then it is only started (or resumed) when it is not running; a leftover of a failed run of this program (marked "provisioning": the mark becomes
 * "provisioned" only after Start-VM succeeded) is removed and rebuilt; a VM or folder of the same
 * name that is not the program's stops the step.
 */
export function renderCreateVmBody(args: VmScriptArgs): string {
  return `${variables(args)}
$baseDisk = ${psQuote(args.baseDisk)}
$switchName = ${psQuote(args.switchName)}
$utf8 = New-Object System.Text.UTF8Encoding $false

$existing = Get-VM -Name $vmName -ErrorAction SilentlyContinue
if (($null -ne $existing) -and ($existing.Notes -eq ${psQuote(PROVISIONED_MARKER)})) {
${driftCheck(args)}
  # Built and started once, in the stack's shape; someone may have stopped it since: start it again, nothing else.
  if ($existing.State -eq 'Paused') { Resume-VM -Name $vmName; Write-Output "VM $vmName exists: resumed"; exit 0 }
  if (@('Off', 'Saved') -contains [string]$existing.State) { Start-VM -Name $vmName; Write-Output "VM $vmName exists: started"; exit 0 }
  Write-Output "VM $vmName exists: nothing to do"
  exit 0
}
# A VM marked "provisioning" (and its folder) is what a failed run left: start again from scratch.
${removal()}

if (-not (Test-Path -LiteralPath $baseDisk)) { throw "base disk $baseDisk not found" }
if ($null -eq (Get-VMSwitch -Name $switchName -ErrorAction SilentlyContinue)) { throw "virtual switch $switchName not found" }
New-Item -ItemType Directory -Force -Path $vmDir | Out-Null
[IO.File]::WriteAllText((Join-Path $vmDir ${psQuote(FOLDER_MARKER)}), 'created by the OpenTwin Pulumi program', $utf8)
New-VHD -Path $osDisk -ParentPath $baseDisk -Differencing | Out-Null
$diskBytes = ${psInt(args.diskGiB)} * 1GB
if ((Get-VHD -Path $osDisk).Size -lt $diskBytes) { Resize-VHD -Path $osDisk -SizeBytes $diskBytes }
$memoryBytes = ${psInt(args.memoryGiB)} * 1GB
New-VM -Name $vmName -Generation 2 -MemoryStartupBytes $memoryBytes -VHDPath $osDisk -SwitchName $switchName -Path $vmRoot | Out-Null
Set-VM -Name $vmName -Notes ${psQuote(PROVISIONING_MARKER)}
# The kubelet reads memory capacity once: static memory only.
Set-VMMemory -VMName $vmName -DynamicMemoryEnabled $false -StartupBytes $memoryBytes
Set-VMProcessor -VMName $vmName -Count ${psInt(args.vcpu)}
Set-VMFirmware -VMName $vmName -EnableSecureBoot On -SecureBootTemplate ${psQuote(SECURE_BOOT_TEMPLATES[args.os])} -FirstBootDevice (Get-VMHardDiskDrive -VMName $vmName | Select-Object -First 1)
Set-VM -Name $vmName -AutomaticCheckpointsEnabled $false

${args.os === "debian" ? cloudInitSeed() : unattendFiles(args.withSetupScript === true)}

Start-VM -Name $vmName
# Marked provisioned only once it runs: a failed Start-VM leaves it "provisioning", rebuilt by a re-run.
Set-VM -Name $vmName -Notes ${psQuote(PROVISIONED_MARKER)}
Write-Output "VM $vmName created and started"
`;
}

/** Delete: stop and remove the VM, then its folder with the disks; nothing when already gone. */
export function renderDeleteVmBody(args: Pick<VmScriptArgs, "vmName" | "vmPath">): string {
  return `${variables(args)}
${removal()}
Write-Output "VM $vmName removed"
`;
}

/** A PowerShell function Test-Port(address, port) that answers within three seconds. */
const TEST_PORT = `function Test-Port([string]$address, [int]$port) {
  $client = New-Object System.Net.Sockets.TcpClient
  try { return ($client.ConnectAsync($address, $port).Wait(3000) -and $client.Connected) } catch { return $false } finally { $client.Dispose() }
}`;

export interface WaitArgs {
  readonly vmName: string;
  /** Probe TCP 22 on this address; without it, wait for a healthy Hyper-V heartbeat. */
  readonly address?: string;
  readonly minutes: number;
}

/** Waits, on the host, until the guest answers (TCP 22 or heartbeat); fails after `minutes`. */
export function renderWaitReadyBody(args: WaitArgs): string {
  const probe =
    args.address === undefined
      ? `(Get-VM -Name $vmName).Heartbeat -like 'Ok*'`
      : `Test-Port ${psQuote(args.address)} 22`;
  const what = args.address === undefined ? "a healthy heartbeat" : `TCP 22 on ${args.address}`;
  return `${TEST_PORT}
$vmName = ${psQuote(args.vmName)}
$deadline = (Get-Date).AddMinutes(${psInt(args.minutes)})
while ((Get-Date) -lt $deadline) {
  if (${probe}) { Write-Output "VM $vmName answers"; exit 0 }
  Start-Sleep -Seconds 5
}
throw ${psQuote(`VM ${args.vmName} showed no ${what} within ${args.minutes} minutes`)}
`;
}

/** Minutes the restart step waits for TCP 22 to close before it goes on to wait for it to answer. */
export const REBOOT_DOWN_MINUTES = 5;

export interface RebootWaitArgs {
  readonly vmName: string;
  readonly address: string;
  /** Whether the guest scheduled a restart (the prepare step said so). */
  readonly rebootScheduled: boolean;
  readonly minutes: number;
}

/**
 * After the prepare step. When it scheduled a restart: wait (at most REBOOT_DOWN_MINUTES) until TCP
 * 22 stops answering on two probes in a row, then (at most `minutes`) until it answers again. sshd
 * keeps answering for a while after the restart is scheduled, so "answers" alone could be the old
 * boot. The host cannot see the guest's boot: this wait is a best effort, and the next step, in the
 * guest, checks that it runs in a boot after the restart (renderRestartedCheck in
 * components/scripts/windows/prepare.ts). The bound keeps a re-run after a restart that already
 * happened from waiting forever for a port that stays open.
 */
export function renderRebootWaitBody(args: RebootWaitArgs): string {
  const down = args.rebootScheduled
    ? `# The restart takes the port down first; two closed probes in a row, so one slow answer is not taken for it.
$downBy = (Get-Date).AddMinutes(${psInt(REBOOT_DOWN_MINUTES)})
$closed = 0
while (($closed -lt 2) -and ((Get-Date) -lt $downBy)) {
  if (Test-Port $address 22) { $closed = 0 } else { $closed++ }
  if ($closed -lt 2) { Start-Sleep -Seconds 2 }
}
if ($closed -lt 2) { Write-Output "TCP 22 on $address did not close within ${REBOOT_DOWN_MINUTES} minutes (the restart happened before this step, or has not begun): the next step checks the guest's boot" }
`
    : `# The prepare step scheduled no restart, so the guest only has to answer. After a scheduled restart this
# first waits for TCP 22 to close, and the next step checks the guest's boot (components/scripts/windows/prepare.ts).
`;
  return `${TEST_PORT}
$address = ${psQuote(args.address)}
${down}$deadline = (Get-Date).AddMinutes(${psInt(args.minutes)})
while ((Get-Date) -lt $deadline) {
  if (Test-Port $address 22) { Start-Sleep -Seconds 10; Write-Output "$address answers on TCP 22"; exit 0 }
  Start-Sleep -Seconds 5
}
throw ${psQuote(`VM ${args.vmName} did not answer on TCP 22 at ${args.address} within ${args.minutes} minutes`)}
`;
}
