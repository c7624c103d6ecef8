// One fixed fast-check seed for the property tests, so that CI runs the same cases every
// time; set PROPERTY_SEED (Node and Deno) to explore others: a failing case prints its seed.
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
export const PROPERTY_SEED = Number(env?.PROPERTY_SEED ?? "") || 20261128;
