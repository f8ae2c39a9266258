/**
 * The project's import graph has no cycle (type-only imports count): components never import the
 * config layer, a folder's index.ts is imported by others, never by its own files. The checker
 * itself is proved on small trees that do have cycles.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findCycles, importGraph } from "../../tools/import-cycles";

const ROOT = path.resolve(__dirname, "../..");

function tree(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-cycles-"));
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

describe("import cycles", () => {
    it("index.ts, components/, tools/ and policies/ import each other without a cycle", () => {
        const graph = importGraph(ROOT);
        expect(graph.size).to.be.greaterThan(150);
        expect(graph.get("index.ts")).to.include("components/config/index.ts");
        expect(findCycles(graph).map((cycle) => cycle.join(" -> "))).to.deep.equal([]);
    });

    it("no block imports the config layer", () => {
        const graph = importGraph(ROOT, ["components/**/*.ts"]);
        const intoConfig = [...graph].filter(
            ([file, targets]) => !file.startsWith("components/config/") && targets.some((t) => t.startsWith("components/config/")),
        );
        expect(intoConfig.map(([file]) => file)).to.deep.equal([]);
    });

    it("finds a cycle of type-only imports and re-exports, and names it from its first file", () => {
        const dir = tree({
            "a.ts": 'import type { C } from "./sub/c";\nexport type A = C;\n',
            "b.ts": 'export { type A } from "./a";\nexport type B = string;\n',
            "sub/c.ts": 'import type { B } from "../b";\nexport type C = B;\n',
            "d.ts": 'import { x } from "./d-helper";\nexport const d = x;\n',
            "d-helper.ts": "export const x = 1;\n",
        });
        try {
            expect(findCycles(importGraph(dir, ["**/*.ts"]))).to.deep.equal([["a.ts", "sub/c.ts", "b.ts", "a.ts"]]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("follows a folder's index.ts, dynamic imports and require, not node_modules", () => {
        const dir = tree({
            "lib/index.ts": 'export const lib = () => import("../main");\n',
            "main.ts": 'const lib = require("./lib");\nimport * as z from "zod";\nexport const main = [lib, z];\n',
        });
        try {
            const graph = importGraph(dir, ["**/*.ts"]);
            expect(graph.get("main.ts")).to.deep.equal(["lib/index.ts"]);
            expect(findCycles(graph)).to.deep.equal([["lib/index.ts", "main.ts", "lib/index.ts"]]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
