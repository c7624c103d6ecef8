// What torch.init() accepts, made into what WebAssembly.instantiate takes: a compiled
// WebAssembly.Module (what Cloudflare Workers and Vercel Edge give for a .wasm import —
// those runtimes refuse to compile bytes), the bytes (ArrayBuffer or a typed array), or
// where to fetch them (a URL, a string URL, or a fetch Response).
export type WasmInput = WebAssembly.Module | ArrayBuffer | ArrayBufferView | URL | string | Response;

export async function wasmFrom(input: WasmInput): Promise<BufferSource | WebAssembly.Module> {
  if (input instanceof WebAssembly.Module) return input;
  if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) return input as BufferSource;
  let response: Response;
  if (typeof Response !== "undefined" && input instanceof Response) response = input;
  else if (typeof input === "string" || input instanceof URL) response = await fetch(input);
  else {
    throw new TypeError("torch.init: expected a WebAssembly.Module, the wasm bytes (ArrayBuffer or typed array), " +
      `a URL or a Response, got ${input === null ? "null" : typeof input}`);
  }
  if (!response.ok) throw new Error(`torch.init: fetching the wasm failed: ${response.status} ${response.statusText} (${response.url})`);
  return new Uint8Array(await response.arrayBuffer());
}
