/**
 * Container image references, as the distribution reference grammar (distribution/reference) defines
 * them, restricted to what this project writes: `[host[:port]/]path[:tag][@sha256:<64 hex>]` with a
 * lower-case path and at least a tag or a digest (never an implicit `latest`).
 */
const HOST = String.raw`(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]+)?)`;
const COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const PATH = `${COMPONENT}(?:/${COMPONENT})*`;
const TAG = String.raw`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`;
const DIGEST = String.raw`sha256:[0-9a-f]{64}`;
const REFERENCE = new RegExp(`^(?:(${HOST})/)?(${PATH})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export interface ImageReference {
  /** Registry host and port, when the reference names one (a first segment with '.', ':' or "localhost"). */
  readonly registry: string | undefined;
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

/** What an image key accepts, for messages. */
export const IMAGE_REFERENCE_TEXT =
  "[host[:port]/]path:tag or [host[:port]/]path[:tag]@sha256:<64 hex digits>, with a lower-case path and a tag of letters, digits, '_', '.' and '-' (at most 128)";

/** The parts of an image reference, or undefined when it is not one (or has neither tag nor digest). */
export function parseImageReference(image: string): ImageReference | undefined {
  const match = REFERENCE.exec(image);
  if (match === null) return undefined;
  const [, host, path, tag, digest] = match;
  if (path === undefined || (tag === undefined && digest === undefined)) return undefined;
  // Docker's rule: a first segment is a registry only when it has a '.' or a ':' or is "localhost".
  if (host !== undefined && !/[.:]/.test(host) && host !== "localhost") return { registry: undefined, repository: `${host}/${path}`, tag, digest };
  return { registry: host, repository: path, tag, digest };
}

/** The tag of an image reference (the part after the ':' of the last path segment, before any digest), if any. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split("@")[0] ?? image;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}
