/**
 * render:diff as the CLI runs it (`runRenderDiff` with the process's arguments and output), over
 * two render directories. Against a git ref, as a real process: cli.integration.test.ts.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { RENDER_DIFF_MARKER } from "../../../tools/render-diff/report";
import { runRenderDiff } from "../../../tools/render-diff/run";

const ROOT = path.resolve(__dirname, "../../..");

interface CliRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

async function renderDiff(projectDir: string, ...args: string[]): Promise<CliRun> {
    let stdout = "";
    let stderr = "";
    const status = await runRenderDiff(args, projectDir, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
    return { status, stdout, stderr };
}

/** A render directory as `npm run render` lays it out. */
function writeRender(dir: string, objects: Record<string, unknown>[], outputs: Record<string, unknown> = {}): void {
    for (const object of objects) {
        const meta = object["metadata"] as { name: string; namespace?: string };
        const file = path.join(dir, "kubernetes", meta.namespace ?? "_cluster", `${String(object["kind"]).toLowerCase()}-${meta.name}.yaml`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, `# Rendered by agent-platform from urn:pulumi:dev::agent-platform::x::${meta.name}\n${stringify(object)}`);
    }
    fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify({ project: "agent-platform", stack: path.basename(dir), resources: [], outputs }));
}

function deployment(replicas: number): Record<string, unknown> {
    return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api", namespace: "agents" }, spec: { replicas } };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "render-diff-cli-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("render:diff CLI over two render directories", () => {
    const from = path.join(tmp, "from");
    const to = path.join(tmp, "to");
    before(() => {
        writeRender(path.join(from, "dev"), [deployment(1)], { url: "a" });
        writeRender(path.join(to, "dev"), [deployment(2)], { url: "a" });
        writeRender(path.join(from, "prod"), [deployment(3)]);
        writeRender(path.join(to, "prod"), [deployment(3)]);
        writeRender(path.join(to, "qa"), [deployment(1)]);
    });

    it("prints the text report and exits 0 when stacks differ", async () => {
        const run = await renderDiff(ROOT, "dev", "prod", "qa", "--from", from, "--to", to);
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.contain("== dev: objects: 0 added, 1 changed, 0 removed");
        expect(run.stdout).to.contain("!    /spec/replicas: 1 -> 2");
        expect(run.stdout).to.contain("== prod: no changes");
        expect(run.stdout).to.contain("== qa: objects: 1 added").and.contain("new stack");
    });

    it("writes the Markdown comment to --output, marker first", async () => {
        const file = path.join(tmp, "out", "comment.md");
        const run = await renderDiff(ROOT, "dev", "--from", from, "--to", to, "--format", "markdown", "--output", file);
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.equal("");
        const markdown = fs.readFileSync(file, "utf8");
        expect(markdown.startsWith(`${RENDER_DIFF_MARKER}\n`)).to.equal(true);
        expect(markdown).to.contain("| `dev` | 0 | 1 | 0 | 0 | 0 |");
    });

    it("fails (exit 1) on a stack that exists on neither side", async () => {
        const run = await renderDiff(ROOT, "nope", "--from", from, "--to", to);
        expect(run.status).to.equal(1);
        expect(run.stderr).to.contain("no such stack");
    });

    it("answers --help and -h with the usage and the options, exit 0", async () => {
        for (const flag of ["--help", "-h"]) {
            const run = await renderDiff(ROOT, flag);
            expect(run.status, run.stderr).to.equal(0);
            expect(run.stdout).to.contain("usage: npm run render:diff -- <stack>... --base <git-ref>");
            expect(run.stdout).to.contain("--truncated-hint TEXT");
        }
    });

    it("rejects bad arguments with exit 2 and the usage", async () => {
        for (const args of [
            [],
            ["dev"],
            ["dev", "--base", "HEAD", "--from", from],
            ["dev", "--from", from, "--to", to, "--format", "html"],
            ["dev", "--nope"],
        ]) {
            const run = await renderDiff(ROOT, ...args);
            expect(run.status, args.join(" ")).to.equal(2);
            expect(run.stderr).to.contain("usage: npm run render:diff");
        }
    });
});
