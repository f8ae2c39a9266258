/** Rules every workflow keeps: pinned actions with real inputs, least privilege, no injection. */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { PINNED_ACTIONS } from "./action-inputs";
import { allSteps, loadWorkflow, ROOT, workflowFiles, writePermissions, type Workflow } from "./support";

/** Write scopes each workflow may hold, and why. */
const ALLOWED_WRITES: Record<string, string[]> = {
    "ci.yml": [], // runs fork code: read-only
    "render-diff-comment.yml": ["pull-requests"], // the comment; never runs the pull request's code
    "preview.yml": ["id-token", "pull-requests"], // OIDC, and the preview comments
    "deploy.yml": ["id-token"], // OIDC only
};

describe("GitHub workflows: common rules", () => {
    const workflows: Workflow[] = workflowFiles().map(loadWorkflow);

    it("are the four known workflows, each parsing as YAML without duplicate keys", () => {
        expect(workflows.map((w) => w.file)).to.deep.equal(Object.keys(ALLOWED_WRITES).sort());
        for (const workflow of workflows) {
            expect(workflow.name, workflow.file).to.be.a("string");
            expect(Object.keys(workflow.jobs), workflow.file).to.not.be.empty;
        }
    });

    it("declare top-level permissions, and no job gets a write scope its workflow does not need", () => {
        for (const workflow of workflows) {
            expect(workflow.permissions, `${workflow.file}: top-level permissions`).to.not.equal(undefined);
            for (const [name, job] of Object.entries(workflow.jobs)) {
                const writes = writePermissions(job, workflow);
                expect(ALLOWED_WRITES[workflow.file], `${workflow.file} job ${name} writes ${writes.join(", ")}`).to.include.members(writes);
            }
        }
    });

    it("never use pull_request_target, which would run a fork's code with a write token", () => {
        for (const workflow of workflows) expect(Object.keys(workflow.on), workflow.file).to.not.include("pull_request_target");
    });

    it("pin every action by full commit SHA with its release tag in a comment, to an action whose inputs are known", () => {
        for (const workflow of workflows) {
            const uses = workflow.text.split("\n").filter((line) => /^\s*(- )?uses:/.test(line));
            for (const line of uses) {
                const match = /uses:\s*([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v[\d.]+)\s*$/.exec(line);
                expect(match, `${workflow.file}: ${line.trim()}`).to.not.equal(null);
                const pinned = PINNED_ACTIONS[`${match![1]!.toLowerCase()}@${match![2]}`];
                expect(pinned, `${workflow.file}: ${line.trim()} is not a known pinned action`).to.not.equal(undefined);
                expect(match![3], `${workflow.file}: tag comment of ${match![1]}`).to.equal(pinned!.tag);
            }
        }
    });

    it("pass only inputs the action declares, and every input it requires", () => {
        for (const workflow of workflows) {
            for (const { job, step } of allSteps(workflow)) {
                if (!step.uses) continue;
                const pinned = PINNED_ACTIONS[step.uses.toLowerCase()]!;
                const given = Object.keys(step.with ?? {});
                expect(pinned.inputs, `${workflow.file} ${job}: ${step.uses} inputs`).to.include.members(given);
                expect(given, `${workflow.file} ${job}: ${step.uses} required inputs`).to.include.members([...pinned.required]);
            }
        }
    });

    it("keep expressions out of run scripts (values reach scripts through env, so nothing is injected)", () => {
        for (const workflow of workflows) {
            for (const { job, step } of allSteps(workflow)) {
                if (step.run) expect(step.run, `${workflow.file} ${job}: ${step.name ?? step.run.slice(0, 40)}`).to.not.contain("${{");
            }
        }
    });

    it("check out without persisting the token in .git/config, and bound every job's time", () => {
        for (const workflow of workflows) {
            for (const [name, job] of Object.entries(workflow.jobs)) {
                // Deploys are bounded by the worst case of a first deploy instead (preview-deploy.test.ts).
                const limit = workflow.file === "deploy.yml" ? 360 : 60;
                expect(job["timeout-minutes"], `${workflow.file} ${name}`).to.be.a("number").and.be.at.most(limit);
                for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
                    expect(step.with?.["persist-credentials"], `${workflow.file} ${name}`).to.equal(false);
                    expect(step.with?.["allow-unsafe-pr-checkout"], `${workflow.file} ${name}`).to.equal(undefined);
                }
            }
        }
    });

    it("take the Node version from package.json and cache npm wherever they install", () => {
        for (const workflow of workflows) {
            for (const [name, job] of Object.entries(workflow.jobs)) {
                const installs = job.steps.some((step) => step.run?.includes("npm ci"));
                const setup = job.steps.filter((step) => step.uses?.startsWith("actions/setup-node@"));
                if (!installs) continue;
                expect(setup, `${workflow.file} ${name}`).to.have.length(1);
                expect(setup[0]!.with).to.deep.equal({ "node-version-file": "package.json", cache: "npm" });
                const ci = job.steps.find((step) => step.run?.includes("npm ci"))!;
                expect(ci.run).to.contain("npm ci --ignore-scripts");
            }
        }
    });

    it("are documented in docs/ci.md: every workflow, repository variable and secret they read", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs/ci.md"), "utf8");
        for (const workflow of workflows) {
            expect(doc, workflow.file).to.contain(`\`${workflow.file}\``);
            for (const [, name] of workflow.text.matchAll(/\b(?:vars|secrets)\.(\w+)/g))
                expect(doc, `${workflow.file} reads ${name}`).to.contain(`\`${name}\``);
        }
    });
});
