/**
 * kubeadm join on a Windows worker, and kubeadm reset when the worker is removed.
 *
 * The join command printed on the control plane arrives in the stdin document as
 * `$Stdin.secrets.joinCommand`; the script takes the token and CA hash out of it, checks their
 * form, writes a JoinConfiguration to a temporary file, joins and deletes the file. Guard: the
 * kubelet's kubeconfig exists, so the node has joined already.
 */
import { stringify } from "yaml";
import { psQuote } from "../powershell";
import { CONTAINERD_ENDPOINT, WINDOWS_PATHS } from "./paths";

/** Name of the stdin secret holding `kubeadm join ... --token ... --discovery-token-ca-cert-hash ...`. */
export const JOIN_COMMAND_KEY = "joinCommand";

const TOKEN_PLACEHOLDER = "@TOKEN@";
const HASH_PLACEHOLDER = "@CA_CERT_HASH@";

export interface JoinArgs {
  /** kubeadm config API for the cluster's minor (catalog kubeadmApi). */
  readonly kubeadmApi: string;
  /** API server endpoint host:port. */
  readonly apiServerEndpoint: string;
  readonly nodeName: string;
}

/** The JoinConfiguration with placeholders for the token and hash (filled in on the node). */
export function renderJoinConfiguration(args: JoinArgs): string {
  return stringify(
    {
      apiVersion: args.kubeadmApi,
      kind: "JoinConfiguration",
      discovery: {
        bootstrapToken: {
          apiServerEndpoint: args.apiServerEndpoint,
          token: TOKEN_PLACEHOLDER,
          caCertHashes: [HASH_PLACEHOLDER],
        },
      },
      nodeRegistration: {
        name: args.nodeName,
        criSocket: CONTAINERD_ENDPOINT,
        taints: [{ key: "os", value: "windows", effect: "NoSchedule" }],
      },
    },
    { lineWidth: 0 },
  );
}

export function renderJoinBody(args: JoinArgs): string {
  return `$kubeadm = Join-Path ${psQuote(WINDOWS_PATHS.kubeDir)} 'kubeadm.exe'
if (Test-Path -LiteralPath ${psQuote(WINDOWS_PATHS.kubeletKubeconfig)}) {
  Write-Output 'The node has joined already: nothing to do'
  exit 0
}
$joinCommand = [string]$Stdin.secrets.${JOIN_COMMAND_KEY}
$token = [regex]::Match($joinCommand, '--token\\s+([a-z0-9]{6}\\.[a-z0-9]{16})(\\s|$)').Groups[1].Value
$caCertHash = [regex]::Match($joinCommand, '--discovery-token-ca-cert-hash\\s+(sha256:[0-9a-f]{64})(\\s|$)').Groups[1].Value
if (($token -eq '') -or ($caCertHash -eq '')) { throw 'the join command from the control plane holds no valid token or CA certificate hash' }
$configText = ${psQuote(renderJoinConfiguration(args))}
$configText = $configText.Replace(${psQuote(TOKEN_PLACEHOLDER)}, $token).Replace(${psQuote(HASH_PLACEHOLDER)}, $caCertHash)
$configPath = Join-Path $env:TEMP 'opentwin-join.yaml'
try {
  [IO.File]::WriteAllText($configPath, $configText, (New-Object System.Text.UTF8Encoding $false))
  & $kubeadm join --config $configPath
  if ($LASTEXITCODE -ne 0) { throw ('kubeadm join failed with exit code ' + $LASTEXITCODE) }
} finally {
  Remove-Item -LiteralPath $configPath -Force -ErrorAction SilentlyContinue
}
Write-Output ('joined as ' + ${psQuote(args.nodeName)})
`;
}

/**
 * Delete of the join step: kubeadm reset, kubelet stopped, and the HNS networks the overlay left
 * (flannel's, type Overlay) removed so a later join starts clean. Nothing to do on a node that
 * never joined or was reset already.
 */
export function renderResetBody(): string {
  return `$kubeadm = Join-Path ${psQuote(WINDOWS_PATHS.kubeDir)} 'kubeadm.exe'
if ((Test-Path -LiteralPath $kubeadm) -and (Test-Path -LiteralPath ${psQuote(WINDOWS_PATHS.kubeletKubeconfig)})) {
  & $kubeadm reset -f --cri-socket ${psQuote(CONTAINERD_ENDPOINT)}
  if ($LASTEXITCODE -ne 0) { throw ('kubeadm reset failed with exit code ' + $LASTEXITCODE) }
}
$kubelet = Get-Service -Name kubelet -ErrorAction SilentlyContinue
if (($null -ne $kubelet) -and ($kubelet.Status -ne 'Stopped')) { Stop-Service -Name kubelet -Force }
if ($null -ne (Get-Command -Name Get-HnsNetwork -ErrorAction SilentlyContinue)) {
  Get-HnsNetwork | Where-Object { ($_.Type -eq 'Overlay') -or ($_.Name -like 'flannel*') } | Remove-HnsNetwork
} else {
  Write-Warning 'Get-HnsNetwork is not available: stale HNS networks were not removed'
}
Write-Output 'node reset'
`;
}
