/**
 * The TypeScript loader every run goes through (Pulumi, npm scripts, tests).
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const LOADER = path.resolve(__dirname, "../../tools/ts-register.js");

describe("tools/ts-register.js", () => {
    let dir: string;
    let cache: string;
    const run = (file: string) =>
        spawnSync(process.execPath, ["--require", LOADER, file], {
            encoding: "utf8",
            env: { ...process.env, TS_REGISTER_CACHE_DIR: cache, NODE_DISABLE_COMPILE_CACHE: "1" },
        });
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "ts-register-"));
        cache = path.join(dir, "cache");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("runs TypeScript with its types stripped", () => {
        const file = path.join(dir, "main.ts");
        fs.writeFileSync(file, "interface Greeting { text: string }\nconst greeting: Greeting = { text: 'hello' };\nconsole.log(greeting.text);\n");
        const result = run(file);
        expect(result.stderr).to.equal("");
        expect(result.stdout).to.equal("hello\n");
    });

    it("reuses the transpiled output of unchanged source, and transpiles changed source again", () => {
        const file = path.join(dir, "main.ts");
        fs.writeFileSync(file, "const n: number = 1;\nconsole.log(n);\n");
        expect(run(file).stdout).to.equal("1\n");
        const [entry] = fs.readdirSync(cache);
        // Tamper with the cache entry: a run that prints it proves the cache was read, not esbuild.
        fs.writeFileSync(path.join(cache, entry!), "console.log('from cache');\n");
        expect(run(file).stdout).to.equal("from cache\n");
        fs.writeFileSync(file, "const n: number = 2;\nconsole.log(n);\n");
        expect(run(file).stdout).to.equal("2\n");
    });

    it("shares the transpiled output between checkouts, and maps stack traces to each checkout's own file", () => {
        // Two copies of one project, as render:diff's base worktree and the working tree are.
        for (const copy of ["base", "head"]) {
            fs.mkdirSync(path.join(dir, copy, "lib"), { recursive: true });
            fs.writeFileSync(
                path.join(dir, copy, "lib", "fail.ts"),
                "type Code = number;\n\nexport function fail(code: Code): never {\n    throw new Error(`failed ${code}`);\n}\n",
            );
            fs.writeFileSync(path.join(dir, copy, "main.ts"), 'import { fail } from "./lib/fail";\nfail(7);\n');
        }
        const traces = ["base", "head"].map((copy) =>
            spawnSync(process.execPath, ["--enable-source-maps", "--require", LOADER, path.join(dir, copy, "main.ts")], {
                encoding: "utf8",
                env: { ...process.env, TS_REGISTER_CACHE_DIR: cache, NODE_DISABLE_COMPILE_CACHE: "1" },
            }),
        );
        expect(fs.readdirSync(cache).filter((name) => name.endsWith(".js"))).to.have.length(2);
        expect(traces[0]!.stderr).to.contain(`at fail (${path.join(dir, "base", "lib", "fail.ts")}:4:11)`);
        expect(traces[1]!.stderr).to.contain(`at fail (${path.join(dir, "head", "lib", "fail.ts")}:4:11)`);
    });

    it("refuses TypeScript inside node_modules", () => {
        const file = path.join(dir, "node_modules", "dep", "index.ts");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, "export const x = 1;\n");
        const result = run(file);
        expect(result.status).not.to.equal(0);
        expect(result.stderr).to.contain("refusing to transpile TypeScript inside node_modules");
    });
});
