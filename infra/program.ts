/** Composes the four levels from a validated stack. (Being assembled: components land one by one.) */
import type { LoadedStack } from "./config/load";

export function deployStack(_stack: LoadedStack): Record<string, unknown> {
  return {};
}
