/** Rules for Dockerfiles and .dockerignore files (used by the container checks and their negative fixtures). */

/** Logical instructions: continuation lines joined (escape character from the `# escape=` directive). */
export function instructions(dockerfile: string): { keyword: string; args: string }[] {
  const escape = /^#\s*escape=(.)/m.exec(dockerfile)?.[1] ?? "\\";
  const out: { keyword: string; args: string }[] = [];
  let pending = "";
  for (const line of dockerfile.split(/\r?\n/)) {
    if (pending === "" && (/^\s*#/.test(line) || line.trim() === "")) continue;
    const trimmed = line.replace(/\s+$/, "");
    if (trimmed.endsWith(escape)) {
      pending += `${trimmed.slice(0, -1)} `;
      continue;
    }
    const full = pending + trimmed;
    pending = "";
    const match = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(full);
    if (match) out.push({ keyword: match[1]!.toUpperCase(), args: match[2]! });
  }
  return out;
}

const KEY_SOURCE = /(^|[\s/\\])(Certificates)([\s/\\]|$)|key|\.pfx|\.p12/i;

export function dockerfileProblems(dockerfile: string, expectedTag?: string, requireEntrypoint = true): string[] {
  const problems: string[] = [];
  const list = instructions(dockerfile);
  const entrypoints = list.filter((i) => i.keyword === "ENTRYPOINT" || i.keyword === "CMD");
  if (requireEntrypoint && entrypoints.length === 0) problems.push("no ENTRYPOINT or CMD");
  for (const e of entrypoints) {
    try {
      const parsed = JSON.parse(e.args) as unknown;
      if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((x) => typeof x === "string")) problems.push(`${e.keyword} is not a JSON array of strings`);
    } catch {
      problems.push(`${e.keyword} is in shell form: ${e.args}`);
    }
  }
  const from = list.filter((i) => i.keyword === "FROM");
  if (expectedTag !== undefined) {
    for (const f of from) {
      const image = f.args.split(/\s+/)[0] ?? "";
      const tag = image.includes(":") ? image.slice(image.lastIndexOf(":") + 1) : "latest";
      if (tag !== expectedTag) problems.push(`FROM ${image}: tag ${tag}, the workers run ${expectedTag}`);
    }
  }
  for (const i of list.filter((x) => x.keyword === "COPY" || x.keyword === "ADD")) {
    const words = i.args.trim().startsWith("[") ? (JSON.parse(i.args) as string[]) : i.args.split(/\s+/).filter((w) => !w.startsWith("--"));
    for (const source of words.slice(0, -1)) if (KEY_SOURCE.test(source)) problems.push(`${i.keyword} of ${source} (key material)`);
  }
  return problems;
}

export function dockerignoreProblems(dockerignore: string): string[] {
  const lines = dockerignore.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  const problems: string[] = [];
  if (!lines.some((l) => /(^|\*\*\/)Certificates(\/\*\*)?$/.test(l))) problems.push(".dockerignore does not exclude Certificates");
  if (!lines.some((l) => /\*key\*/.test(l))) problems.push(".dockerignore does not exclude *key* files");
  if (lines.some((l) => l.startsWith("!") && /Certificates|key/i.test(l))) problems.push(".dockerignore re-includes key material");
  return problems;
}
