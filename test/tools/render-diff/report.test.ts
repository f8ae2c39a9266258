/** Tier 1: the text and Markdown reports built from stack diffs. */
import { expect } from "chai";
import { diffRenders } from "../../../tools/render-diff/diff";
import { entryOf } from "../../../tools/render-diff/render-set";
import { formatMarkdown, formatText, MARKDOWN_LIMIT, RENDER_DIFF_MARKER, type Report, type StackReport } from "../../../tools/render-diff/report";
import { compareSides } from "../../../tools/render-diff/run";

function configMap(name: string, data: Record<string, string>): Record<string, unknown> {
    return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "agents" }, data };
}

function stackWith(stack: string, before: Record<string, unknown>[], after: Record<string, unknown>[]): StackReport {
    return { stack, status: "compared", diff: diffRenders({ objects: before.map((o) => entryOf(o)) }, { objects: after.map((o) => entryOf(o)) }) };
}

function report(...stacks: StackReport[]): Report {
    return { base: "origin/main (1a2b3c4)", head: "5d6e7f8", stacks };
}

/** Code fences must pair up, or the rest of the comment renders as code. */
function fencesBalanced(markdown: string): boolean {
    const open: string[] = [];
    for (const line of markdown.split("\n")) {
        const fence = /^(`{3,})(\w*)$/.exec(line);
        if (!fence) continue;
        if (open.length > 0 && fence[1] === open[open.length - 1] && fence[2] === "") open.pop();
        else open.push(fence[1]!);
    }
    return open.length === 0;
}

describe("render diff report", () => {
    const changed = stackWith("dev", [configMap("a", { LOG: "DEBUG" }), configMap("gone", {})], [configMap("a", { LOG: "INFO" }), configMap("new", {})]);

    it("starts the Markdown with the marker CI finds the comment by, and has a row per stack", () => {
        const markdown = formatMarkdown(report(changed, stackWith("prod", [], [])));
        expect(markdown.split("\n")[0]).to.equal(RENDER_DIFF_MARKER);
        expect(markdown).to.contain("| `dev` | 1 | 1 | 1 | 0 | 0 |");
        expect(markdown).to.contain("| `prod` | no changes |");
        expect(markdown).to.not.contain("<code>prod</code>");
    });

    it("lists objects and changed fields with +/-/! in column one inside a diff block", () => {
        const markdown = formatMarkdown(report(changed));
        expect(markdown).to.contain(
            ["```diff", "+ ConfigMap agents/new", "! ConfigMap agents/a", '!    /data/LOG: "DEBUG" -> "INFO"', "- ConfigMap agents/gone", "```"].join("\n"),
        );
        expect(fencesBalanced(markdown)).to.equal(true);
    });

    it("shows a multi-line value as a line diff rather than two long strings", () => {
        const before = configMap("dash", { "d.json": '{\n  "refresh": "30s",\n  "title": "x"\n}' });
        const after = configMap("dash", { "d.json": '{\n  "refresh": "1m",\n  "title": "x"\n}' });
        const text = formatText(report(stackWith("prod", [before], [after])));
        expect(text).to.contain("/data/d.json: text, 1 lines removed, 1 added:");
        expect(text).to.contain('-          "refresh": "30s",');
        expect(text).to.contain('+          "refresh": "1m",');
    });

    it("uses a longer fence when a value contains backticks, so content cannot close the block", () => {
        const markdown = formatMarkdown(report(stackWith("dev", [configMap("md", { x: "a" })], [configMap("md", { x: "```\nb" })])));
        expect(markdown).to.contain("````diff");
        expect(fencesBalanced(markdown)).to.equal(true);
    });

    it("stays under GitHub's comment limit by cutting whole lines, says so, and keeps fences balanced", () => {
        const many = (value: string) => Array.from({ length: 400 }, (_, i) => configMap(`cm-${i}`, { key: `${value}-${"x".repeat(150)}` }));
        const big = report(
            stackWith("dev", many("a"), many("b")),
            stackWith("staging", many("c"), many("d")),
            stackWith("prod", [configMap("p", { k: "1" })], [configMap("p", { k: "2" })]),
        );
        const markdown = formatMarkdown(big, { truncatedHint: "see the render-diff artifact" });
        expect(markdown.length).to.be.at.most(MARKDOWN_LIMIT);
        expect(markdown).to.match(/_\d+ more lines not shown: see the render-diff artifact_/);
        expect(markdown, "the small stack still gets its section").to.contain('!    /data/k: "1" -> "2"');
        expect(fencesBalanced(markdown)).to.equal(true);
    });

    it("reports a stack that cannot be rendered instead of a diff", () => {
        const failed = compareSides(
            "prod",
            { state: "rendered", render: { objects: [] } },
            { state: "failed", error: "render failed: agent-platform:cluster.target: invalid" },
        );
        expect(failed).to.deep.include({ status: "failed", blocking: true });
        const markdown = formatMarkdown(report(failed));
        expect(markdown).to.contain("| `prod` | not compared: head does not render: render failed: agent-platform:cluster.target: invalid |");
        expect(formatText(report(failed))).to.contain("== prod: not compared: head does not render");
    });

    it("treats a stack missing at the base as new (all added) and a base that cannot render as not blocking", () => {
        const head = { state: "rendered" as const, render: { objects: [entryOf(configMap("a", {}))] } };
        const created = compareSides("qa", { state: "absent" }, head);
        expect(created.status).to.equal("new");
        expect(created.diff!.objects.map((o) => o.kind)).to.deep.equal(["added"]);
        expect(formatText(report(created))).to.contain("(new stack: it has no stack file at the base)");
        const baseBroken = compareSides("qa", { state: "failed", error: "no tools/render.ts" }, head);
        expect(baseBroken.status).to.equal("failed");
        expect(baseBroken.blocking).to.equal(undefined);
    });

    it("prints 'no changes' in text for an unchanged stack", () => {
        expect(formatText(report(stackWith("dev", [configMap("a", {})], [configMap("a", {})])))).to.contain("== dev: no changes");
    });
});
