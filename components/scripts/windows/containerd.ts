/**
 * containerd on a Windows worker: download from the pinned URL, check the checksum, install to
 * %ProgramFiles%\containerd, write config.toml (sandbox image = the kubelet's pause image, CNI
 * folders), register and start the service. Guard: same version, same config and the service
 * present means nothing to do. It is the step after the Containers feature's restart, so it first
 * checks that the restart happened (renderRestartedCheck in ./prepare).
 */
import { psQuote } from "../powershell";
import { GET_VERIFIED_ARTIFACT } from "./download";
import { WINDOWS_PATHS } from "./paths";
import { renderRestartedCheck, type ScheduledRestart } from "./prepare";

export interface ContainerdArgs {
  /** containerd version without "v", e.g. 2.1.4. */
  readonly version: string;
  readonly url: string;
  /** sha256:<hex> or sha512:<hex>. */
  readonly checksum: string;
  /** Sandbox (pause) image; must equal the kubelet's pause image. */
  readonly pauseImage: string;
  /** The restart the prepare step scheduled (its output, scheduledRestartOf); none by default. */
  readonly restart?: ScheduledRestart;
}

/** A TOML basic string. */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

/** config.toml for containerd 1.x (config version 2) or 2.x (config version 3). */
export function renderContainerdConfig(args: Pick<ContainerdArgs, "version" | "pauseImage">): string {
  const [majorText, minorText] = args.version.split(".");
  const major = Number(majorText);
  const minor = Number(minorText);
  const binDir = tomlString(WINDOWS_PATHS.cniBinDir);
  const confDir = tomlString(WINDOWS_PATHS.cniConfDir);
  if (major >= 2) {
    const bin = major > 2 || minor >= 1 ? `bin_dirs = [${binDir}]` : `bin_dir = ${binDir}`;
    return [
      "version = 3",
      "",
      "[plugins.'io.containerd.cri.v1.images'.pinned_images]",
      `  sandbox = ${tomlString(args.pauseImage)}`,
      "",
      "[plugins.'io.containerd.cri.v1.runtime'.cni]",
      `  ${bin}`,
      `  conf_dir = ${confDir}`,
      "",
    ].join("\n");
  }
  return [
    "version = 2",
    "",
    "[plugins.'io.containerd.grpc.v1.cri']",
    `  sandbox_image = ${tomlString(args.pauseImage)}`,
    "",
    "[plugins.'io.containerd.grpc.v1.cri'.cni]",
    `  bin_dir = ${binDir}`,
    `  conf_dir = ${confDir}`,
    "",
  ].join("\n");
}

export function renderContainerdBody(args: ContainerdArgs): string {
  return `${renderRestartedCheck(args.restart)}
${GET_VERIFIED_ARTIFACT}

$version = ${psQuote(args.version)}
$url = ${psQuote(args.url)}
$checksum = ${psQuote(args.checksum)}
$configText = ${psQuote(renderContainerdConfig(args))}
$installDir = Join-Path $env:ProgramFiles 'containerd'
$containerd = Join-Path $installDir 'containerd.exe'
$configPath = Join-Path $installDir 'config.toml'
$utf8 = New-Object System.Text.UTF8Encoding $false

foreach ($dir in @(${psQuote(WINDOWS_PATHS.cniBinDir)}, ${psQuote(WINDOWS_PATHS.cniConfDir)})) { New-Item -ItemType Directory -Force -Path $dir | Out-Null }

$service = Get-Service -Name containerd -ErrorAction SilentlyContinue
$current = ($null -ne $service) -and (Test-Path -LiteralPath $containerd) -and (Test-Path -LiteralPath $configPath)
if ($current) { $current = ((& $containerd --version) -like ('* v' + $version + ' *')) -and ([IO.File]::ReadAllText($configPath) -eq $configText) }
if ($current) {
  if ($service.Status -ne 'Running') { Start-Service -Name containerd }
  Write-Output ('containerd ' + $version + ' is installed: nothing to do')
  exit 0
}

$download = Join-Path $env:TEMP ('containerd-' + $version + '.tar.gz')
$unpack = Join-Path $env:TEMP ('containerd-' + $version)
Get-VerifiedArtifact $url $download $checksum
if (Test-Path -LiteralPath $unpack) { Remove-Item -LiteralPath $unpack -Recurse -Force }
New-Item -ItemType Directory -Force -Path $unpack | Out-Null
tar.exe -xzf $download -C $unpack
if ($LASTEXITCODE -ne 0) { throw ('tar.exe could not unpack ' + $download) }

if (($null -ne $service) -and ($service.Status -ne 'Stopped')) { Stop-Service -Name containerd -Force }
New-Item -ItemType Directory -Force -Path $installDir | Out-Null
Copy-Item -Path (Join-Path $unpack 'bin\\*') -Destination $installDir -Force
[IO.File]::WriteAllText($configPath, $configText, $utf8)
Add-MachinePath $installDir
if ($null -eq $service) {
  & $containerd --register-service --config $configPath
  if ($LASTEXITCODE -ne 0) { throw 'containerd --register-service failed' }
}
Set-Service -Name containerd -StartupType Automatic
Start-Service -Name containerd
Remove-Item -LiteralPath $unpack -Recurse -Force
Remove-Item -LiteralPath $download -Force
Write-Output ('containerd ' + $version + ' installed')
`;
}
