/** ci.yml (the checks, the render and its artifact) and render-diff-comment.yml (the PR comment). */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { RENDER_DIFF_MARKER } from "../../tools/render-diff/report";
import { LIST_STACKS, loadWorkflow, onlyStepUsing, ROOT, type Step } from "./support";

function runIndex(steps: Step[], fragment: string): number {
    const index = steps.findIndex((step) => step.run?.includes(fragment));
    expect(index, `a step running '${fragment}'`).to.be.at.least(0);
    return index;
}

describe("ci.yml", () => {
    const ci = loadWorkflow("ci.yml");
    const check = ci.jobs["check"]!;
    const diff = ci.jobs["render-diff"]!;

    it("runs on pull requests and on pushes to main", () => {
        expect(ci.on).to.have.keys(["pull_request", "push"]);
        expect(ci.on["push"]).to.deep.equal({ branches: ["main"] });
    });

    it("is read-only: contents read, nothing else", () => {
        expect(ci.permissions).to.deep.equal({ contents: "read" });
        for (const job of Object.values(ci.jobs)) expect(job.permissions).to.equal(undefined);
    });

    it("cancels a superseded run of the same pull request, never a run on main", () => {
        expect(ci.concurrency!.group).to.contain("github.event.pull_request.number");
        expect(ci.concurrency!["cancel-in-progress"]).to.equal("${{ github.event_name == 'pull_request' }}");
    });

    it("runs every npm step of .ci/run, in the same order", () => {
        const local = fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8");
        const commands = [...local.matchAll(/^\s*(npm (?:ci|test|run -s [\w:]+|run [\w:]+)[^\n]*)$/gm)].map((m) => m[1]!.replace(/\s+#.*$/, "").trim());
        expect(commands, "commands found in .ci/run").to.have.length.at.least(4);
        // The same npm command and script arguments; install flags and the loop variable may differ.
        const pattern = (command: string): RegExp => {
            if (command.startsWith("npm ci")) return /npm ci\b/;
            if (command.startsWith("npm test")) return /npm test\b/;
            const [, script, rest] = /^npm run (?:-s )?(\S+)(.*)$/.exec(command)!;
            const args = rest!.replace(/"\$\w+"/g, "").trim();
            return new RegExp(
                `npm run (-s )?${script!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${args ? ` ${args.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}` : "\\b"}`,
            );
        };
        const positions = commands.map((command) => {
            const index = check.steps.findIndex((step) => step.run !== undefined && pattern(command).test(step.run));
            expect(index, `ci.yml runs '${command}' of .ci/run`).to.be.at.least(0);
            return index;
        });
        expect(positions).to.deep.equal([...positions].sort((a, b) => a - b));
    });

    it("renders every stack of the project, listed from the stack files when it runs (never a fixed list)", () => {
        expect(ci.env).not.to.have.property("STACKS");
        for (const job of [check, diff]) {
            const list = runIndex(job.steps, "npm run -s stacks");
            expect(job.steps[list]!.run).to.equal(LIST_STACKS);
            expect(list).to.be.lessThan(runIndex(job.steps, job === check ? "npm run -s render --" : "npm run -s render:diff"));
        }
        expect(check.steps[runIndex(check.steps, "npm run -s render --")]!.run).to.contain("for stack in $STACKS");
        // What the step writes to $GITHUB_ENV, run for real: steps.integration.test.ts.
    });

    it("runs the policy pack over the rendered manifests with every policy mandatory, after the render", () => {
        const policy = runIndex(check.steps, "npm run -s policy:check");
        expect(policy).to.be.greaterThan(runIndex(check.steps, "npm run -s render --"));
        expect(check.steps[policy]!.run).to.contain("--config policies/config/all-mandatory.json rendered/*/kubernetes");
    });

    it("uploads the rendered manifests even when a later check fails", () => {
        const upload = onlyStepUsing(check, "actions/upload-artifact");
        expect(upload.with).to.include({ name: "rendered-manifests", path: "rendered/", "if-no-files-found": "error" });
        expect(upload.if).to.equal("${{ !cancelled() }}");
    });

    it("diffs each pull request against the base branch it merges into, with no credentials", () => {
        expect(diff.if).to.equal("github.event_name == 'pull_request'");
        expect(onlyStepUsing(diff, "actions/checkout").with).to.include({ "fetch-depth": 2 });
        const run = diff.steps[runIndex(diff.steps, "render:diff")]!;
        expect(run.run).to.contain("npm run -s render:diff -- $STACKS --base HEAD^1 --format markdown");
        expect(run.run).to.contain('--output "$RUNNER_TEMP/render-diff/comment.md"');
        expect(JSON.stringify(diff)).to.not.match(/secrets\.|id-token/);
        const upload = onlyStepUsing(diff, "actions/upload-artifact");
        expect(upload.with).to.include({ name: "render-diff", path: "${{ runner.temp }}/render-diff/" });
    });
});

describe("render-diff-comment.yml", () => {
    const ci = loadWorkflow("ci.yml");
    const workflow = loadWorkflow("render-diff-comment.yml");
    const job = workflow.jobs["comment"]!;

    it("runs after CI completes, for pull request runs that were not cancelled", () => {
        expect(workflow.on).to.deep.equal({ workflow_run: { workflows: [ci.name], types: ["completed"] } });
        expect(job.if).to.contain("github.event.workflow_run.event == 'pull_request'");
        expect(job.if).to.contain("conclusion != 'cancelled'");
    });

    it("holds only what it needs: read the artifact and the helper, write the comment", () => {
        expect(workflow.permissions).to.deep.equal({});
        expect(job.permissions).to.deep.equal({ actions: "read", contents: "read", "pull-requests": "write" });
    });

    it("never checks out or runs the pull request's code", () => {
        const checkout = onlyStepUsing(job, "actions/checkout");
        expect(checkout.with).to.not.have.any.keys("ref", "repository");
        expect(checkout.with).to.include({ "sparse-checkout": ".github/scripts" });
        expect(job.steps.filter((step) => step.run)).to.deep.equal([]);
    });

    it("downloads the artifact CI uploaded, from the triggering run", () => {
        const upload = onlyStepUsing(ci.jobs["render-diff"]!, "actions/upload-artifact");
        const download = onlyStepUsing(job, "actions/download-artifact");
        expect(download.with).to.include({
            name: upload.with!["name"],
            "run-id": "${{ github.event.workflow_run.id }}",
            "github-token": "${{ github.token }}",
        });
        expect(download.id).to.equal("download");
    });

    it("posts or updates the one comment carrying the render diff marker, on the pull request found by commit", () => {
        const post = onlyStepUsing(job, "actions/github-script");
        expect(post.if).to.equal("steps.download.outcome == 'success'");
        expect(post.env!["MARKER"]).to.equal(RENDER_DIFF_MARKER);
        expect(post.env!["BODY_FILE"]).to.equal("${{ runner.temp }}/render-diff/comment.md");
        const script = String(post.with!["script"]);
        expect(script).to.contain("findPullRequest({ github, owner, repo, run: context.payload.workflow_run })");
        expect(script).to.contain("upsertComment({ github, owner, repo, issueNumber, body })");
        expect(script).to.contain("body.startsWith(`${process.env.MARKER}\\n`)");
    });
});
