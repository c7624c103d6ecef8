// Whether a competitor computed what torchlet computed: each named group of values within
// |a − b| ≤ 1e-3·max|b| + 1e-2·|b| of torchlet's. Loose on purpose — float32 summation order
// and tfjs's epsilon placement differ — yet a wrong formula, sign or option is far outside.
const ATOL_OF_SCALE = 1e-3, RTOL = 1e-2;

export function compareChecks(values, ref) {
  for (const [name, b] of Object.entries(ref)) {
    const a = values[name];
    if (!a || a.length !== b.length) {
      return { ok: false, detail: `${name}: ${a ? a.length : "no"} values, torchlet has ${b.length}` };
    }
    const scale = Math.max(...b.map(Math.abs));
    for (let i = 0; i < b.length; i++) {
      const err = Math.abs(a[i] - b[i]), tol = ATOL_OF_SCALE * scale + RTOL * Math.abs(b[i]);
      if (!(err <= tol)) return { ok: false, detail: `${name}[${i}]: ${a[i]} where torchlet has ${b[i]}` };
    }
  }
  return { ok: true };
}
