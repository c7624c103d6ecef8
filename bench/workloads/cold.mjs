// Cold start: a fresh Node process's import until the library is ready to compute
// (torchlet: the import; tfjs: the imports, setWasmPaths and setBackend), each figure a new
// process running bench/lib/cold_import.mjs; and a Worker's first answer in a fresh
// workerd minus an empty Worker's (bench/lib/cold_workerd.mjs; torchlet only: tfjs-wasm
// fetches or compiles its .wasm from bytes, which Workers refuse).
export const workloads = [
  {
    id: "cold-import",
    group: "cold",
    label: "import until ready, fresh Node process",
    unit: "ms",
    sides: ["torchlet", "tfjs-wasm", "tfjs-cpu"],
    cold: true,
    targets: [{ absoluteAtMost: 15 }],
  },
  {
    id: "cold-workerd",
    group: "cold",
    label: "cold start in workerd: first answer minus an empty Worker's",
    unit: "ms",
    sides: ["torchlet"],
    cold: "workerd",
    targets: [],
  },
];
