// torchlet's names are PyTorch's in camelCase (`exp_avg_sq` ↔ `expAvgSq`, `_last_lr` ↔
// `_lastLr`); the few whose capitals don't survive the plain rule are listed.

const SNAKE_OF: Record<string, string> = { HDiag: "H_diag", T0: "T_0", TI: "T_i", TMult: "T_mult", TCur: "T_cur", TMax: "T_max" };

/** PyTorch's name for a torchlet key. */
export function snakeCase(key: string): string {
  return SNAKE_OF[key] ?? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** torchlet's name for a PyTorch key (leading underscores kept). */
export function camelCase(key: string): string {
  const lead = /^_*/.exec(key)![0];
  return lead + key.slice(lead.length).replace(/_([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Whether `v` is an object made by `{}`, JSON.parse or structuredClone (no class instance, no Map). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Sets `obj[key]` as an own data property, even for "__proto__" (which `=` would not). */
export function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** How deep containers may nest, in what is saved and what is loaded. */
export const MAX_DEPTH = 100;
