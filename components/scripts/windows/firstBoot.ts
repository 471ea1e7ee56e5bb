/**
 * The script the unattend file runs in the specialize pass (as SYSTEM, before any logon):
 * grow C: to the resized disk, fixed IPv4 on the first adapter, the program's SSH key for the
 * Administrators group, sshd on automatic start, TCP 22 open. Logs to a transcript next to itself.
 * No secrets: the admin password stays in the unattend file.
 */
import { FIRST_BOOT_SCRIPT_PATH } from "../unattend";
import { psArray, psInt, psQuote, psScript } from "../powershell";

export interface FirstBootArgs {
  readonly address: string;
  readonly prefixLength: number;
  readonly gateway: string;
  readonly dnsServers: readonly string[];
  /** OpenSSH public key line written to administrators_authorized_keys. */
  readonly sshPublicKey: string;
}

export function renderFirstBootScript(args: FirstBootArgs): string {
  const body = `
Start-Transcript -Path ${psQuote(FIRST_BOOT_SCRIPT_PATH.replace(/\.ps1$/, ".log"))} -Append | Out-Null

# The differencing disk was resized on the host: give C: the free space.
$maxSize = (Get-PartitionSupportedSize -DriveLetter C).SizeMax
if ((Get-Partition -DriveLetter C).Size -lt $maxSize) { Resize-Partition -DriveLetter C -Size $maxSize }

# Fixed address on the first adapter (the VM has one).
$adapter = Get-NetAdapter -Physical | Sort-Object -Property ifIndex | Select-Object -First 1
if ($null -eq $adapter) { throw 'the VM has no network adapter' }
Set-NetIPInterface -InterfaceIndex $adapter.ifIndex -AddressFamily IPv4 -Dhcp Disabled
Get-NetIPAddress -InterfaceIndex $adapter.ifIndex -AddressFamily IPv4 -ErrorAction SilentlyContinue | Remove-NetIPAddress -Confirm:$false
Get-NetRoute -InterfaceIndex $adapter.ifIndex -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue | Remove-NetRoute -Confirm:$false
New-NetIPAddress -InterfaceIndex $adapter.ifIndex -AddressFamily IPv4 -IPAddress ${psQuote(args.address)} -PrefixLength ${psInt(args.prefixLength)} -DefaultGateway ${psQuote(args.gateway)} | Out-Null
Set-DnsClientServerAddress -InterfaceIndex $adapter.ifIndex -ServerAddresses ${psArray(args.dnsServers)}

# The program's key, for members of Administrators; only Administrators and SYSTEM may read it (sshd checks).
$keys = Join-Path $env:ProgramData 'ssh\\administrators_authorized_keys'
New-Item -ItemType Directory -Force -Path (Split-Path -Parent $keys) | Out-Null
[IO.File]::WriteAllText($keys, ${psQuote(args.sshPublicKey.trim())} + "\`r\`n", (New-Object System.Text.UTF8Encoding $false))
icacls.exe $keys /inheritance:r /grant '*S-1-5-32-544:F' /grant '*S-1-5-18:F' | Out-Null
if ($LASTEXITCODE -ne 0) { throw "icacls could not restrict $keys" }

# sshd must be in the image (Windows Server 2025 ships it; 2019/2022: add OpenSSH.Server before sysprep).
if ($null -eq (Get-Service -Name sshd -ErrorAction SilentlyContinue)) {
  throw 'OpenSSH Server (sshd) is not installed in the base image: add the OpenSSH.Server~~~~0.0.1.0 capability before sysprep'
}
Set-Service -Name sshd -StartupType Automatic
if ($null -eq (Get-NetFirewallRule -Name 'OpenTwin-SSH' -ErrorAction SilentlyContinue)) {
  New-NetFirewallRule -Name 'OpenTwin-SSH' -DisplayName 'OpenSSH Server (TCP 22)' -Direction Inbound -Protocol TCP -LocalPort 22 -Action Allow | Out-Null
}
Start-Service -Name sshd
Stop-Transcript | Out-Null
`;
  return psScript("first boot", body);
}
