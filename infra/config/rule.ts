/** The shape of a cross-key check, and the helper every check reports with. */
import type { StackKey } from "./parse";
import { keyOf, type Problem } from "./problems";
import type { StackConfig } from "./schema";

/**
 * A check over several keys. `reads` names every top-level key it looks at: the check runs only when
 * all of them parsed, so a schema error in another key never hides its problems.
 */
export interface Rule {
  readonly reads: readonly StackKey[];
  readonly check: (config: StackConfig) => Problem[];
}

/** A rule whose check can only see the keys it declares (the compiler keeps `reads` honest). */
export function rule<K extends StackKey>(reads: readonly K[], check: (config: Pick<StackConfig, K>) => Problem[]): Rule {
  return { reads, check };
}

export function problem(path: PropertyKey[], value: unknown, what: string, allowed: string): Problem {
  return { key: keyOf(path), value, problem: what, allowed };
}
