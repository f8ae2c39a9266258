/**
 * render:diff end to end: the real CLI process, over two render directories and over a
 * temporary git repository holding this project (base = a commit, head = the working tree).
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument, stringify } from "yaml";
import { RENDER_DIFF_MARKER } from "../../../tools/render-diff/report";

const ROOT = path.resolve(__dirname, "../../..");
const LOADER = path.join(ROOT, "tools/ts-register.js");

interface CliRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

function renderDiff(projectDir: string, ...args: string[]): CliRun {
    const cli = path.join(projectDir, "tools/render-diff.ts");
    const run = spawnSync(process.execPath, ["--require", LOADER, cli, ...args], { cwd: projectDir, encoding: "utf8", env: { ...process.env, npm_lifecycle_event: "" } });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
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

function git(cwd: string, ...args: string[]): string {
    const run = spawnSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
    return run.stdout.trim();
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

    it("prints the text report and exits 0 when stacks differ", () => {
        const run = renderDiff(ROOT, "dev", "prod", "qa", "--from", from, "--to", to);
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.contain("== dev: objects: 0 added, 1 changed, 0 removed");
        expect(run.stdout).to.contain("!    /spec/replicas: 1 -> 2");
        expect(run.stdout).to.contain("== prod: no changes");
        expect(run.stdout).to.contain("== qa: objects: 1 added").and.contain("new stack");
    });

    it("writes the Markdown comment to --output, marker first", () => {
        const file = path.join(tmp, "out", "comment.md");
        const run = renderDiff(ROOT, "dev", "--from", from, "--to", to, "--format", "markdown", "--output", file);
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.equal("");
        const markdown = fs.readFileSync(file, "utf8");
        expect(markdown.startsWith(`${RENDER_DIFF_MARKER}\n`)).to.equal(true);
        expect(markdown).to.contain("| `dev` | 0 | 1 | 0 | 0 | 0 |");
    });

    it("fails (exit 1) on a stack that exists on neither side", () => {
        const run = renderDiff(ROOT, "nope", "--from", from, "--to", to);
        expect(run.status).to.equal(1);
        expect(run.stderr).to.contain("no such stack");
    });

    it("answers --help and -h with the usage and the options, exit 0", () => {
        for (const flag of ["--help", "-h"]) {
            const run = renderDiff(ROOT, flag);
            expect(run.status, run.stderr).to.equal(0);
            expect(run.stdout).to.contain("usage: npm run render:diff -- <stack>... --base <git-ref>");
            expect(run.stdout).to.contain("--truncated-hint TEXT");
        }
    });

    it("rejects bad arguments with exit 2 and the usage", () => {
        for (const args of [[], ["dev"], ["dev", "--base", "HEAD", "--from", from], ["dev", "--from", from, "--to", to, "--format", "html"], ["dev", "--nope"]]) {
            const run = renderDiff(ROOT, ...args);
            expect(run.status, args.join(" ")).to.equal(2);
            expect(run.stderr).to.contain("usage: npm run render:diff");
        }
    });
});

describe("render:diff CLI against a git ref (temporary repository of this project)", function () {
    this.timeout(180_000);
    const repo = path.join(tmp, "repo");
    const keep = path.join(tmp, "keep");

    /** Sets dev's replicas and log level, whatever the project's own dev stack says. */
    function setDev(replicas: number, logLevel: string): void {
        const file = path.join(repo, "Pulumi.dev.yaml");
        const doc = parseDocument(fs.readFileSync(file, "utf8"));
        doc.setIn(["config", "agent-platform:agentRuntime", "replicas"], replicas);
        doc.setIn(["config", "agent-platform:agentRuntime", "settings", "logLevel"], logLevel);
        fs.writeFileSync(file, doc.toString());
    }

    before(() => {
        // This project's files as they are (no git needed where the tests run: the repository
        // under test is built here), without dependencies and build output.
        fs.mkdirSync(repo, { recursive: true });
        for (const entry of ["Pulumi.yaml", "Pulumi.dev.yaml", "index.ts", "package.json", "package-lock.json", "tsconfig.json", "components", "tools", "policies"]) {
            fs.cpSync(path.join(ROOT, entry), path.join(repo, entry), { recursive: true, filter: (source) => !/[\\/](node_modules|\.git)$/.test(source) });
        }
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
        fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules\n");
        setDev(1, "DEBUG");
        git(repo, "init", "--quiet");
        git(repo, "add", "-A");
        git(repo, "commit", "--quiet", "-m", "base");
        // The change under review, uncommitted: more replicas and another log level for dev.
        setDev(3, "INFO");
    });

    it("renders the base in a temporary worktree sharing node_modules, and reports the changed fields", () => {
        const run = renderDiff(repo, "dev", "--base", "HEAD", "--keep", keep);
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stderr).to.contain("same package-lock.json, sharing node_modules");
        expect(run.stdout).to.match(/^Render diff: HEAD \([0-9a-f]{7}\) -> [0-9a-f]{7} \+ uncommitted changes/);
        expect(run.stdout).to.contain("! Deployment agents-dev/agent-runtime");
        expect(run.stdout).to.contain("!    /spec/replicas: 1 -> 3");
        expect(run.stdout).to.match(/!\s+\/spec\/template\/spec\/containers\[name=[^\]]+\]\/env\[name=LOG_LEVEL\]\/value: "DEBUG" -> "INFO"/);
        // Nothing else moved: the other objects of the stack are identical.
        expect(run.stdout.match(/^[+!-] \S+ \S+$/gm)).to.deep.equal(["! Deployment agents-dev/agent-runtime"]);
        expect(fs.existsSync(path.join(keep, "base", "dev", "plan.json")) && fs.existsSync(path.join(keep, "head", "dev", "plan.json"))).to.equal(true);
    });

    it("removes its worktree afterwards and leaves the shared node_modules alone", () => {
        expect(git(repo, "worktree", "list").split("\n")).to.have.length(1);
        expect(fs.existsSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"))).to.equal(true);
    });

    it("fails with exit 1 when the head does not render, and still prints the report", () => {
        const stackFile = path.join(repo, "Pulumi.dev.yaml");
        const good = fs.readFileSync(stackFile, "utf8");
        try {
            setDev(3, "INFO");
            const broken = parseDocument(good);
            broken.setIn(["config", "agent-platform:agentRuntime", "replicas"], "many");
            fs.writeFileSync(stackFile, broken.toString());
            const run = renderDiff(repo, "dev", "--base", "HEAD");
            expect(run.status).to.equal(1);
            expect(run.stdout).to.contain("== dev: not compared: head does not render:").and.contain("agentRuntime.replicas");
        } finally {
            fs.writeFileSync(stackFile, good);
        }
    });

    it("fails with exit 1 and a clear message on an unknown ref", () => {
        const run = renderDiff(repo, "dev", "--base", "no-such-branch");
        expect(run.status).to.equal(1);
        expect(run.stderr).to.contain("unknown git ref 'no-such-branch'");
    });
});
