// A small static server for the browser example: `npm run example:browser` builds torchlet,
// then runs this and prints the page's address. It serves the page and exactly what the
// page loads (the examples' shared modules, the bundle, the digits data, uPlot from
// node_modules), from the repository's
// own layout, so the page's relative imports (../../build/torchlet.js) hold as they read.
// Any static server run at the repository's root serves the page the same way.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PAGE = "/examples/browser/";
/** The only folders served; everything else is a 404. */
const SERVED = [PAGE, "/examples/common/", "/build/", "/data/", "/node_modules/uplot/dist/"];
const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".map": "application/json", ".json": "application/json", ".png": "image/png",
  ".svg": "image/svg+xml", ".gz": "application/gzip", ".csv": "text/csv; charset=utf-8", ".md": "text/markdown; charset=utf-8",
};

/** The file a request path names, or null when it is outside the served folders. */
function fileFor(pathname) {
  let path;
  try {
    path = normalize(decodeURIComponent(pathname)).replaceAll(sep, "/");
  } catch {
    return null; // a malformed %-escape
  }
  if (path.endsWith("/")) path += "index.html";
  // normalize() has already resolved every "..", so a prefix check is enough.
  return SERVED.some((prefix) => path.startsWith(prefix)) ? join(ROOT, path) : null;
}

async function handle(request, response) {
  const { pathname } = new URL(request.url, "http://localhost");
  if (pathname === "/" || pathname === PAGE.slice(0, -1)) {
    response.writeHead(302, { location: PAGE }).end();
    return;
  }
  const file = request.method === "GET" || request.method === "HEAD" ? fileFor(pathname) : null;
  const info = file && (await stat(file).catch(() => null));
  if (!info?.isFile()) {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`not found: ${pathname}\n`);
    return;
  }
  // The .gz goes out as the bytes it is (no Content-Encoding): the page un-gzips it itself.
  response.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "content-length": info.size,
    "cache-control": "no-store",
  });
  if (request.method === "HEAD") response.end();
  else createReadStream(file).pipe(response);
}

/**
 * Starts the server on `host`:`port` (port 0: any free port). Resolves to `{ url, close }`,
 * `url` being the page's address.
 */
export async function startServer({ port = 8080, host = "127.0.0.1" } = {}) {
  if (!(await stat(join(ROOT, "build/torchlet.js")).catch(() => null))) {
    throw new Error("build/torchlet.js is missing: run `npm run build` first (npm run example:browser does both)");
  }
  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      response.end(`${error.message}\n`);
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${server.address().port}${PAGE}`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

function readPort(args) {
  const at = args.indexOf("--port");
  const value = at >= 0 ? args[at + 1] : process.env.PORT ?? "8080";
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected a whole number 0–65535, got ${JSON.stringify(value)}`);
  return port;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { url } = await startServer({ port: readPort(process.argv.slice(2)) });
    console.log(`torchlet browser example: ${url}\n(Ctrl-C to stop)`);
  } catch (error) {
    const hint = error.code === "EADDRINUSE" ? " is in use: pick another with --port <n> (or PORT=<n>)" : "";
    console.error(`serve.mjs: ${hint ? `port ${error.port}${hint}` : error.message}`);
    process.exit(1);
  }
}
