/** Kubeconfig text edits (pure). */

/** `https://host:port`, with IPv6 hosts bracketed. */
export function serverUrl(endpoint: { readonly host: string; readonly port: number }): string {
  const host = endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host;
  return `https://${host}:${endpoint.port}`;
}

/** The kubeconfig with every cluster's `server:` set to the endpoint (admin.conf has one cluster). */
export function withServer(kubeconfig: string, endpoint: { readonly host: string; readonly port: number }): string {
  return kubeconfig.replace(/^(\s*server:\s*).*$/gm, (_line, prefix: string) => `${prefix}${serverUrl(endpoint)}`);
}
