/**
 * azure-native is imported by submodule only, never the root package.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";

describe("azure-native imports", () => {
    it("use submodules only, never the root package", () => {
        const root = path.resolve(__dirname, "../..");
        const sources = [
            "index.ts",
            ...fs.readdirSync(path.join(root, "components"), { recursive: true }).map((f) => path.join("components", String(f))),
        ].filter((f) => f.endsWith(".ts"));
        const offenders = sources.filter((f) => /from "@pulumi\/azure-native"/.test(fs.readFileSync(path.join(root, f), "utf8")));
        expect(offenders).to.deep.equal([]);
        expect(sources.some((f) => /from "@pulumi\/azure-native\/containerservice"/.test(fs.readFileSync(path.join(root, f), "utf8")))).to.equal(true);
    });
});
