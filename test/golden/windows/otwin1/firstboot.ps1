$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''first boot'' failed: ' + $_.Exception.Message)
  exit 1
}

Start-Transcript -Path 'C:\Windows\Setup\Scripts\opentwin-firstboot.log' -Append | Out-Null

# The differencing disk was resized on the host: give C: the free space.
$maxSize = (Get-PartitionSupportedSize -DriveLetter C).SizeMax
if ((Get-Partition -DriveLetter C).Size -lt $maxSize) { Resize-Partition -DriveLetter C -Size $maxSize }

# Fixed address on the first adapter (the VM has one).
$adapter = Get-NetAdapter -Physical | Sort-Object -Property ifIndex | Select-Object -First 1
if ($null -eq $adapter) { throw 'the VM has no network adapter' }
Set-NetIPInterface -InterfaceIndex $adapter.ifIndex -AddressFamily IPv4 -Dhcp Disabled
Get-NetIPAddress -InterfaceIndex $adapter.ifIndex -AddressFamily IPv4 -ErrorAction SilentlyContinue | Remove-NetIPAddress -Confirm:$false
Get-NetRoute -InterfaceIndex $adapter.ifIndex -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue | Remove-NetRoute -Confirm:$false
New-NetIPAddress -InterfaceIndex $adapter.ifIndex -AddressFamily IPv4 -IPAddress '192.168.50.21' -PrefixLength 24 -DefaultGateway '192.168.50.1' | Out-Null
Set-DnsClientServerAddress -InterfaceIndex $adapter.ifIndex -ServerAddresses @('192.168.50.1')

# The program's key, for members of Administrators; only Administrators and SYSTEM may read it (sshd checks).
$keys = Join-Path $env:ProgramData 'ssh\administrators_authorized_keys'
New-Item -ItemType Directory -Force -Path (Split-Path -Parent $keys) | Out-Null
[IO.File]::WriteAllText($keys, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBWeF9faJl3c7af4z2mOuEkobfFlpEkOu0WfdZGHrOTz opentwin-dev' + "`r`n", (New-Object System.Text.UTF8Encoding $false))
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
exit 0
