/**
 * One mutual-TLS handshake between Node's TLS server (client certificate required, verified against
 * a CA, TLS 1.2 or newer) and Node's TLS client, on loopback. The server decides "accepted": it
 * answers "ok" only on a connection whose client certificate it verified.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import * as tls from "node:tls";

export interface Party {
  readonly certificate?: string;
  readonly privateKey?: string;
}

export interface HandshakeOptions {
  readonly server: Required<Party>;
  readonly client: Party;
  /** CA both sides trust. */
  readonly ca: string;
  /** The name the client dials (SNI and the name it verifies). */
  readonly servername: string;
  /** Client-side protocol range, e.g. TLSv1.1 only. Default: Node's. */
  readonly clientVersions?: { min: tls.SecureVersion; max: tls.SecureVersion };
}

export interface HandshakeResult {
  /** The server verified the client certificate and the client received its answer. */
  readonly accepted: boolean;
  /** Error code or message on either side, for the report. */
  readonly error?: string;
  readonly serverError?: string;
}

export async function handshake(options: HandshakeOptions): Promise<HandshakeResult> {
  let serverError: string | undefined;
  const server = tls.createServer(
    // rejectUnauthorized false + the check below = Node's rejectUnauthorized (the connection is closed
    // before any data), but it keeps the reason (CERT_HAS_EXPIRED, ...) for the report.
    { cert: options.server.certificate, key: options.server.privateKey, ca: options.ca, requestCert: true, rejectUnauthorized: false, minVersion: "TLSv1.2" },
    (socket) => {
      if (socket.authorized) socket.end("ok");
      else {
        serverError = String(socket.authorizationError);
        socket.destroy();
      }
    },
  );
  server.on("tlsClientError", (error: NodeJS.ErrnoException) => (serverError = error.code ?? error.message));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  try {
    const result = await new Promise<HandshakeResult>((resolve) => {
      let received = "";
      const socket = tls.connect({
        host: "127.0.0.1",
        port,
        servername: options.servername,
        ca: options.ca,
        cert: options.client.certificate,
        key: options.client.privateKey,
        ...(options.clientVersions ? { minVersion: options.clientVersions.min, maxVersion: options.clientVersions.max, ciphers: "DEFAULT@SECLEVEL=0" } : {}),
      });
      socket.setTimeout(10_000, () => socket.destroy(new Error("timeout")));
      socket.on("data", (chunk) => (received += chunk.toString()));
      socket.on("error", (error: NodeJS.ErrnoException) => resolve({ accepted: false, error: error.code ?? error.message }));
      socket.on("close", () => resolve({ accepted: received === "ok", error: received === "ok" ? undefined : "closed without answer" }));
    });
    return { ...result, serverError };
  } finally {
    server.close();
  }
}
