# Entrypoint of the OpenTwin services image: imports the CA into the container's Root store, builds
# open_twin.exe's arguments for one service from OPEN_TWIN_* variables, runs it and exits with its exit code.
# Usage: entrypoint.ps1 <logger|gss|auth|lss|gds|lds>
# Nothing here prints argument values: AUTH's argument list holds the (encrypted) MongoDB password.
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [ValidateSet('logger', 'gss', 'auth', 'lss', 'gds', 'lds')]
    [string] $Service
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# 7703: OpenTwin's exit code for a broken environment (OTSystem/AppExitCodes.h).
function Stop-Entrypoint([string] $Message, [int] $Code = 7703) {
    [Console]::Error.WriteLine("opentwin entrypoint ($Service): $Message")
    exit $Code
}

function Get-Required([string] $Name) {
    $value = [Environment]::GetEnvironmentVariable($Name)
    if ([string]::IsNullOrEmpty($value)) { Stop-Entrypoint "environment variable $Name is not set" }
    return $value
}

# Quotes one argument for CommandLineToArgvW / the Rust runtime (empty arguments survive as "").
function ConvertTo-Argument([string] $Value) {
    if ($Value -eq '') { return '""' }
    if ($Value -notmatch '[\s"]') { return $Value }
    $escaped = [regex]::Replace($Value, '(\\*)"', { param($m) $m.Groups[1].Value + $m.Groups[1].Value + '\"' })
    $escaped = [regex]::Replace($escaped, '(\\+)$', { param($m) $m.Groups[1].Value + $m.Groups[1].Value })
    return '"' + $escaped + '"'
}

Set-Location -LiteralPath $PSScriptRoot

# Certificates: every file must be mounted; the CA goes into LocalMachine\Root because OpenTwin's MongoDB
# client trusts the Windows store. certutil leaves an existing certificate in place, so a restart is harmless.
foreach ($name in 'OPEN_TWIN_CA_CERT', 'OPEN_TWIN_SERVER_CERT', 'OPEN_TWIN_SERVER_CERT_KEY', 'OPEN_TWIN_CERT_KEY') {
    $path = Get-Required $name
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) { Stop-Entrypoint "$name names '$path', which does not exist" }
}
$null = & certutil.exe -f -addstore Root (Get-Required 'OPEN_TWIN_CA_CERT')
if ($LASTEXITCODE -ne 0) { Stop-Entrypoint "certutil -addstore Root failed with exit code $LASTEXITCODE" }

$ownUrl = (Get-Required 'OPEN_TWIN_SERVICES_ADDRESS') + ':' + (Get-Required 'OPEN_TWIN_SERVICE_PORT')

switch ($Service) {
    'logger' { $arguments = @('LoggerService.dll', '', $ownUrl, '', '') }
    'gss' { $arguments = @('GlobalSessionService.dll', (Get-Required 'OPEN_TWIN_LOGGING_URL'), $ownUrl, (Get-Required 'OPEN_TWIN_MONGODB_ADDRESS'), (Get-Required 'OPEN_TWIN_AUTH_URL')) }
    'auth' { $arguments = @('AuthorisationService.dll', $ownUrl, (Get-Required 'OPEN_TWIN_MONGODB_ADDRESS'), (Get-Required 'OPEN_TWIN_MONGODB_PWD'), (Get-Required 'OPEN_TWIN_LOGGING_URL')) }
    'lss' { $arguments = @('LocalSessionService.dll', (Get-Required 'OPEN_TWIN_LOGGING_URL'), $ownUrl, (Get-Required 'OPEN_TWIN_GSS_URL'), 'unused') }
    'gds' { $arguments = @('GlobalDirectoryService.dll', (Get-Required 'OPEN_TWIN_LOGGING_URL'), $ownUrl, (Get-Required 'OPEN_TWIN_GSS_URL'), 'unused') }
    'lds' { $arguments = @('LocalDirectoryService.dll', (Get-Required 'OPEN_TWIN_LOGGING_URL'), $ownUrl, (Get-Required 'OPEN_TWIN_GDS_URL'), 'unused') }
}
if ($Service -eq 'lds') { $null = Get-Required 'OT_LOCALDIRECTORYSERVICE_CONFIGURATION' }

$launcher = Join-Path $PSScriptRoot 'open_twin.exe'
if (-not (Test-Path -LiteralPath $launcher -PathType Leaf)) { Stop-Entrypoint "$launcher is missing from the image" }

$startInfo = New-Object System.Diagnostics.ProcessStartInfo
$startInfo.FileName = $launcher
$startInfo.Arguments = ($arguments | ForEach-Object { ConvertTo-Argument $_ }) -join ' '
$startInfo.WorkingDirectory = $PSScriptRoot
$startInfo.UseShellExecute = $false

[Console]::Out.WriteLine("opentwin entrypoint ($Service): starting $($arguments[0]) at $ownUrl")
$process = [System.Diagnostics.Process]::Start($startInfo)
$process.WaitForExit()
$code = $process.ExitCode
[Console]::Out.WriteLine("opentwin entrypoint ($Service): open_twin.exe exited with $code")
exit $code
