/**
 * render:diff end to end as a real process, against a git ref: a temporary git repository holding
 * this project (base = a commit, head = the working tree), the base rendered in a worktree.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";

const ROOT = path.resolve(__dirname, "../../..");
const LOADER = path.join(ROOT, "tools/ts-register.js");

interface CliRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

function renderDiff(projectDir: string, ...args: string[]): CliRun {
    const cli = path.join(projectDir, "tools/render-diff.ts");
    const run = spawnSync(process.execPath, ["--require", LOADER, cli, ...args], {
        cwd: projectDir,
        encoding: "utf8",
        env: { ...process.env, npm_lifecycle_event: "" },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function git(cwd: string, ...args: string[]): string {
    const run = spawnSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args], {
        cwd,
        encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
    return run.stdout.trim();
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "render-diff-git-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

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
        for (const entry of [
            "Pulumi.yaml",
            "Pulumi.dev.yaml",
            "index.ts",
            "package.json",
            "package-lock.json",
            "tsconfig.json",
            "components",
            "tools",
            "policies",
        ]) {
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
        // A stack new at the head (no base to render) whose stack file does not validate.
        const stackFile = path.join(repo, "Pulumi.broken.yaml");
        const broken = parseDocument(fs.readFileSync(path.join(repo, "Pulumi.dev.yaml"), "utf8"));
        broken.setIn(["config", "agent-platform:agentRuntime", "replicas"], "many");
        fs.writeFileSync(stackFile, broken.toString());
        try {
            const run = renderDiff(repo, "broken", "--base", "HEAD");
            expect(run.status).to.equal(1);
            expect(run.stdout).to.contain("== broken: not compared: head does not render:").and.contain("agentRuntime.replicas");
        } finally {
            fs.rmSync(stackFile);
        }
    });

    it("fails with exit 1 and a clear message on an unknown ref", () => {
        const run = renderDiff(repo, "dev", "--base", "no-such-branch");
        expect(run.status).to.equal(1);
        expect(run.stderr).to.contain("unknown git ref 'no-such-branch'");
    });
});
