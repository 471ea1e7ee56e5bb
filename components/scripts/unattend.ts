/**
 * unattend.xml for a sysprepped Windows Server image, read from `\Windows\Panther\unattend.xml` of the
 * VM's own disk on first boot.
 *
 * specialize: computer name, time zone, and one RunSynchronous command that runs the first-boot
 * script (FIRST_BOOT_SCRIPT_PATH, written next to the unattend file by HyperVVm; see
 * windows/firstBoot.ts): fixed address, the program's SSH key, sshd, firewall. It runs as SYSTEM
 * before any logon, so no auto-logon (and no second copy of the password) is needed.
 * oobeSystem: the Administrator password and no OOBE screens.
 *
 * The base image must contain OpenSSH Server: Windows Server 2025 ships it; on 2019/2022 add the
 * `OpenSSH.Server~~~~0.0.1.0` capability before sysprep (the first-boot script stops with a message
 * naming it otherwise).
 */
import { WINDOWS_COMPUTER_NAME_MAX } from "../lib/catalog";

/** Where the first-boot script lives inside the guest (RunSynchronous paths are limited to 259 characters). */
export const FIRST_BOOT_SCRIPT_PATH = "C:\\Windows\\Setup\\Scripts\\opentwin-firstboot.ps1";

export interface UnattendArgs {
  /** NetBIOS computer name: 1 to 15 letters, digits and hyphens, not only digits. */
  readonly computerName: string;
  /** Password of the built-in Administrator. Secret: the caller keeps the rendered XML secret. */
  readonly adminPassword: string;
  /** Windows time zone id; default "UTC". */
  readonly timeZone?: string;
}

const COMPONENT_ATTRIBUTES =
  'processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS"';

/** Text and attribute escaping for XML (CR as a character reference, which parsers do not normalise). */
export function xmlEscape(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\r/g, "&#13;");
}

/** Problems with a computer name (empty when Windows accepts it). */
export function computerNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length === 0 || name.length > WINDOWS_COMPUTER_NAME_MAX) {
    problems.push(`computer name '${name}' must have 1 to ${WINDOWS_COMPUTER_NAME_MAX} characters`);
  }
  if (!/^[A-Za-z0-9-]*$/.test(name)) problems.push(`computer name '${name}' may hold only letters, digits and hyphens`);
  if (/^[0-9]+$/.test(name)) problems.push(`computer name '${name}' must not be only digits`);
  return problems;
}

function component(name: string, body: string[]): string[] {
  return [`    <component name="${name}" ${COMPONENT_ATTRIBUTES}>`, ...body.map((line) => `      ${line}`), "    </component>"];
}

function element(name: string, value: string): string {
  return `<${name}>${xmlEscape(value)}</${name}>`;
}

export function renderUnattend(args: UnattendArgs): string {
  const problems = computerNameProblems(args.computerName);
  if (problems.length > 0) throw new Error(problems.join("; "));
  if (args.adminPassword.length === 0) throw new Error("the Administrator password is empty");
   
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(args.adminPassword + args.computerName + (args.timeZone ?? ""))) {
    throw new Error("the unattend values hold a control character, which XML cannot carry");
  }
  const timeZone = args.timeZone ?? "UTC";
  const firstBoot = `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File ${FIRST_BOOT_SCRIPT_PATH}`;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<unattend xmlns="urn:schemas-microsoft-com:unattend" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State">',
    '  <settings pass="specialize">',
    ...component("Microsoft-Windows-Shell-Setup", [element("ComputerName", args.computerName), element("TimeZone", timeZone)]),
    ...component("Microsoft-Windows-Deployment", [
      "<RunSynchronous>",
      '  <RunSynchronousCommand wcm:action="add">',
      `    ${element("Order", "1")}`,
      `    ${element("Description", "OpenTwin first boot: address, SSH key, sshd")}`,
      `    ${element("Path", firstBoot)}`,
      "  </RunSynchronousCommand>",
      "</RunSynchronous>",
    ]),
    "  </settings>",
    '  <settings pass="oobeSystem">',
    ...component("Microsoft-Windows-Shell-Setup", [
      "<OOBE>",
      `  ${element("HideEULAPage", "true")}`,
      `  ${element("HideLocalAccountScreen", "true")}`,
      `  ${element("HideOEMRegistrationScreen", "true")}`,
      `  ${element("HideOnlineAccountScreens", "true")}`,
      `  ${element("HideWirelessSetupInOOBE", "true")}`,
      `  ${element("ProtectYourPC", "3")}`,
      `  ${element("SkipMachineOOBE", "true")}`,
      `  ${element("SkipUserOOBE", "true")}`,
      "</OOBE>",
      "<UserAccounts>",
      "  <AdministratorPassword>",
      `    ${element("Value", args.adminPassword)}`,
      `    ${element("PlainText", "true")}`,
      "  </AdministratorPassword>",
      "</UserAccounts>",
      element("TimeZone", timeZone),
    ]),
    "  </settings>",
    "</unattend>",
  ];
  return lines.join("\r\n") + "\r\n";
}
