/** Tier 1: field paths and values of the render diff. */
import { expect } from "chai";
import { diffFields, escapeSegment, jsonEqual } from "../../../tools/render-diff/fields";
import { lineDiff } from "../../../tools/render-diff/lines";

describe("render diff: changed fields", () => {
    it("reports nothing for equal values whatever their key order", () => {
        expect(diffFields({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).to.deep.equal([]);
        expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).to.equal(false);
    });

    it("names a changed leaf by its JSON-pointer path with old and new value", () => {
        expect(diffFields({ spec: { replicas: 2 } }, { spec: { replicas: 3 } })).to.deep.equal([
            { path: "/spec/replicas", kind: "changed", before: 2, after: 3 },
        ]);
    });

    it("reports added and removed keys with only the value that exists", () => {
        const changes = diffFields({ metadata: { labels: { old: "x" } } }, { metadata: { labels: { new: "y" } } });
        expect(changes).to.deep.equal([
            { path: "/metadata/labels/new", kind: "added", after: "y" },
            { path: "/metadata/labels/old", kind: "removed", before: "x" },
        ]);
    });

    it("escapes / and ~ in keys as RFC 6901 does, so a label key stays one segment", () => {
        expect(escapeSegment("app.kubernetes.io/name")).to.equal("app.kubernetes.io~1name");
        expect(escapeSegment("a~b")).to.equal("a~0b");
        expect(diffFields({ l: { "app.kubernetes.io/name": "a" } }, { l: { "app.kubernetes.io/name": "b" } })[0]!.path).to.equal("/l/app.kubernetes.io~1name");
    });

    it("matches list items by name, so inserting one env var is one addition", () => {
        const before = {
            env: [
                { name: "A", value: "1" },
                { name: "C", value: "3" },
            ],
        };
        const after = {
            env: [
                { name: "A", value: "1" },
                { name: "B", value: "2" },
                { name: "C", value: "30" },
            ],
        };
        expect(diffFields(before, after)).to.deep.equal([
            { path: "/env[name=C]/value", kind: "changed", before: "3", after: "30" },
            { path: "/env[name=B]", kind: "added", after: { name: "B", value: "2" } },
        ]);
    });

    it("reports a reordering of named items, since order matters for init containers", () => {
        const a = { name: "a" };
        const b = { name: "b" };
        expect(diffFields({ initContainers: [a, b] }, { initContainers: [b, a] })).to.deep.equal([
            { path: "/initContainers[*].name", kind: "changed", before: ["a", "b"], after: ["b", "a"] },
        ]);
    });

    it("compares unnamed object lists index by index and reports a scalar list as one value", () => {
        expect(diffFields({ rules: [{ port: 80 }] }, { rules: [{ port: 80 }, { port: 443 }] })).to.deep.equal([
            { path: "/rules/1", kind: "added", after: { port: 443 } },
        ]);
        expect(diffFields({ args: ["a", "b"] }, { args: ["a", "c", "b"] })).to.deep.equal([
            { path: "/args", kind: "changed", before: ["a", "b"], after: ["a", "c", "b"] },
        ]);
    });

    it("reports a type change (object to string) at the path where it happens", () => {
        expect(diffFields({ a: { b: 1 } }, { a: "x" })).to.deep.equal([{ path: "/a", kind: "changed", before: { b: 1 }, after: "x" }]);
    });
});

describe("render diff: multi-line text", () => {
    it("shows only the changed lines with one line of context", () => {
        const before = ["a", "b", "c", "d", "e", "f"].join("\n");
        const after = ["a", "b", "c", "D", "e", "f"].join("\n");
        const diff = lineDiff(before, after);
        expect(diff).to.include({ removed: 1, added: 1 });
        expect(diff.lines).to.deep.equal([" c", "-d", "+D", " e"]);
    });

    it("marks skipped unchanged lines between two distant changes", () => {
        const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
        const after = [...lines];
        after[1] = "changed 1";
        after[18] = "changed 18";
        expect(lineDiff(lines.join("\n"), after.join("\n")).lines).to.include("…");
    });

    it("cuts a long line diff and says how much is left out", () => {
        const before = Array.from({ length: 100 }, (_, i) => `old ${i}`).join("\n");
        const after = Array.from({ length: 100 }, (_, i) => `new ${i}`).join("\n");
        const diff = lineDiff(before, after, 1, 10);
        expect(diff.lines).to.have.length(11);
        expect(diff.lines[10]).to.equal("… 190 more lines");
    });
});
