// Loads this project's TypeScript files in Node (`node --require ./tools/ts-register.js`):
// each .ts file outside node_modules is transpiled by esbuild on require, types are
// stripped, nothing is type-checked (that is `npm run typecheck`). Unlike general loaders
// it hooks only .ts files, so the thousands of .js files of the Pulumi SDKs load at plain
// Node speed. Transpiled output is cached on disk by content hash (as ts-node and tsx do), so
// a repeated run neither starts esbuild nor transpiles again, and Node's compile cache is
// turned on for every module. Output carries an inline source
// map, used when Node runs with `--enable-source-maps` (the tests do; for `pulumi up` set
// NODE_OPTIONS=--enable-source-maps). It is off by default because Pulumi records a stack
// trace per resource and mapping them doubled a render's time.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const CACHE_DIR = process.env.TS_REGISTER_CACHE_DIR || path.join(__dirname, "..", "node_modules", ".cache", "ts-register");
const OPTIONS = { loader: "ts", format: "cjs", target: "node22", sourcemap: "inline" };
let esbuild; // loaded on the first cache miss only
let cacheUsable = true;

// V8's code cache for every module loaded after this one (the Pulumi SDKs included): Node
// checks each entry against the module's source, so it is never stale. NODE_COMPILE_CACHE wins.
const { enableCompileCache } = require("node:module");
if (enableCompileCache && !process.env.NODE_COMPILE_CACHE && !process.env.NODE_DISABLE_COMPILE_CACHE) {
    enableCompileCache(path.join(CACHE_DIR, "v8"));
}

function transpile(source, sourcefile) {
    esbuild ??= require("esbuild");
    return esbuild.transformSync(source, { ...OPTIONS, sourcefile }).code;
}

function cached(source, filename) {
    // The source map names the file by its base name, which Node resolves against the module's
    // own path: the same file in another checkout (render:diff's base worktree) hits the cache.
    const sourcefile = path.basename(filename);
    const key = crypto.createHash("sha256").update(`${OPTIONS.target}\0${sourcefile}\0${source}`).digest("hex");
    const file = path.join(CACHE_DIR, `${key}.js`);
    if (cacheUsable) {
        try {
            return fs.readFileSync(file, "utf8");
        } catch {
            // a miss: transpile below
        }
    }
    const code = transpile(source, sourcefile);
    if (cacheUsable) {
        try {
            fs.mkdirSync(CACHE_DIR, { recursive: true });
            // Write then rename, so a concurrent reader never sees half a file.
            const temp = `${file}.${process.pid}.tmp`;
            fs.writeFileSync(temp, code);
            fs.renameSync(temp, file);
        } catch {
            cacheUsable = false; // read-only checkout: transpile every time
        }
    }
    return code;
}

require.extensions[".ts"] = function loadTypeScript(module, filename) {
    if (filename.split(path.sep).includes("node_modules")) {
        throw new Error(`refusing to transpile TypeScript inside node_modules: ${filename}`);
    }
    module._compile(cached(fs.readFileSync(filename, "utf8"), filename), filename);
};
