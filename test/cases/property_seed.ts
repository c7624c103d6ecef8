// One fixed fast-check seed for the property tests, so that CI runs the same cases every
// time; set PROPERTY_SEED to explore others (Node; Deno with --allow-env): a failing case
// prints its seed.
function fromEnv(): string | undefined {
  try {
    return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.PROPERTY_SEED;
  } catch {
    return undefined; // Deno without --allow-env refuses to read it
  }
}

export const PROPERTY_SEED = Number(fromEnv() ?? "") || 20261128;
