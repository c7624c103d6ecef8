// Cold start: a fresh Node process's import until the library is ready to compute
// (torchlet: the import; tfjs: the imports, setWasmPaths and setBackend). Each figure is a
// new process running bench/lib/cold_import.mjs.
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
];
