/** preview.yml and deploy.yml: triggers, matrix, OIDC, the pulumi/actions inputs and the policy wiring. */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { withKubeloginMode } from "../../components/aks";
import { parseStackConfig, type StackConfig } from "../../components/config";
import { loadPolicyConfigFile, policyNames } from "../../policies/policy-config";
import { loadStackFiles } from "../../tools/render/stack-files";
import { GITHUB_JOB_LIMIT_MINUTES, TIMEOUT_MARGIN, totalMinutes, worstCaseFirstDeploy } from "./deploy-timeline";
import { kubeloginRun } from "./kubelogin";
import { actionOf, LIST_MATRIX, loadWorkflow, onlyStepUsing, projectStacks, resolveEnv, ROOT, stepsUsing, type Job, type Workflow } from "./support";

const POLICY_CONFIG = "policies/config/all-mandatory.json";

/** The policy pack and config a pulumi/actions step passes, resolved. */
function policyWiring(job: Job, workflow: Workflow): { packs: string; configs: string } {
    const step = onlyStepUsing(job, "pulumi/actions");
    return { packs: resolveEnv(step.with!["policyPacks"], job, workflow), configs: resolveEnv(step.with!["policyPackConfigs"], job, workflow) };
}

function indexOfAction(job: Job, action: string): number {
    return job.steps.findIndex((step) => actionOf(step) === action);
}

function stackConfig(stack: string): StackConfig {
    const files = loadStackFiles(ROOT, stack);
    return parseStackConfig(files.config, new Set(files.secretKeys));
}

/** The exec args of an AKS user kubeconfig as AKS hands it out, after the stack sets its kubelogin mode. */
function stackKubeloginArgs(config: StackConfig): string[] {
    const aksKubeconfig = [
        "users:",
        "  - name: clusterUser",
        "    user:",
        "      exec:",
        "        command: kubelogin",
        "        args: [get-token, --environment, AzurePublicCloud, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630, --client-id, 80faf920-1908-4b52-b5ef-a8e7bedfc67a, --tenant-id, aks-tenant, --login, devicecode]",
    ].join("\n");
    return parse(withKubeloginMode(aksKubeconfig, config.cluster.aks!.kubeloginMode)).users[0].user.exec.args;
}

/** The environment a job's steps see: its env, and GitHub's OIDC request variables when it may mint tokens. */
function jobEnvironment(job: Job, workflow: Workflow): Record<string, string> {
    const oidc = typeof job.permissions === "object" && job.permissions["id-token"] === "write";
    return {
        ...workflow.env,
        ...job.env,
        ...(oidc ? { ACTIONS_ID_TOKEN_REQUEST_TOKEN: "(runner)", ACTIONS_ID_TOKEN_REQUEST_URL: "(runner)" } : {}),
    };
}

/** The kubelogin version a step installs, at least v0.2.0 (the GitHub Actions credential). */
function kubeloginVersionOk(job: Job): boolean {
    const version = String(onlyStepUsing(job, "azure/use-kubelogin").with?.["kubelogin-version"] ?? "latest");
    const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(version);
    return match !== null && (Number(match[1]) > 0 || Number(match[2]) >= 2);
}

describe("the CI policy config", () => {
    it("makes every policy of the pack mandatory", () => {
        const config = loadPolicyConfigFile(path.join(ROOT, POLICY_CONFIG));
        expect(policyNames.length).to.be.greaterThan(10);
        for (const name of policyNames) expect(config[name], name).to.equal("mandatory");
    });

    it("names a policy pack directory the Pulumi CLI can load", () => {
        expect(fs.existsSync(path.join(ROOT, "policies", "PulumiPolicy.yaml"))).to.equal(true);
    });
});

describe("preview.yml", () => {
    const workflow = loadWorkflow("preview.yml");
    const job = workflow.jobs["preview"]!;
    const preview = onlyStepUsing(job, "pulumi/actions");

    it("runs on pull requests into main, one run per pull request, superseded runs cancelled", () => {
        expect(workflow.on).to.deep.equal({ pull_request: { branches: ["main"] } });
        expect(workflow.concurrency).to.deep.equal({ group: "preview-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
    });

    it("grants nothing by default, and the job only OIDC, read access and pull request comments", () => {
        expect(workflow.permissions).to.deep.equal({});
        expect(job.permissions).to.deep.equal({ contents: "read", "id-token": "write", "pull-requests": "write" });
    });

    it("skips pull requests from forks, which get no OIDC token", () => {
        expect(job.if).to.equal("github.event.pull_request.head.repo.full_name == github.repository");
    });

    it("previews every stack of the project in a matrix built from the stack files, letting each stack finish", () => {
        const stacks = workflow.jobs["stacks"]!;
        expect(job.strategy!.matrix).to.deep.equal({ include: "${{ fromJSON(needs.stacks.outputs.stacks) }}" });
        expect(job.strategy!["fail-fast"]).to.equal(false);
        expect(job.needs).to.equal("stacks");
        expect(stacks.if).to.equal(job.if);
        expect(stacks.permissions).to.deep.equal({ contents: "read" });
        expect(stacks.outputs).to.deep.equal({ stacks: "${{ steps.list.outputs.stacks }}" });
        const list = stacks.steps.find((step) => step.id === "list")!;
        expect(list.run).to.equal(LIST_MATRIX);
        // What the matrix receives, run for real: steps.integration.test.ts.
    });

    it("runs pulumi/actions preview on the matrix stack with one PR comment per stack, edited in place, and a summary", () => {
        expect(preview.id).to.equal("preview");
        expect(preview.with).to.include({ command: "preview", "comment-on-pr": true, "edit-pr-comment": true, "comment-on-summary": true });
        expect(resolveEnv(preview.with!["stack-name"], job, workflow)).to.equal("${{ vars.PULUMI_ORG }}/${{ matrix.stack }}");
    });

    it("runs the project's policy pack with every policy mandatory", () => {
        expect(policyWiring(job, workflow)).to.deep.equal({ packs: "policies", configs: POLICY_CONFIG });
    });

    it("logs in to Pulumi Cloud with OIDC before the preview, never with a stored token", () => {
        const auth = onlyStepUsing(job, "pulumi/auth-actions");
        expect(auth.with).to.deep.equal({ organization: "${{ vars.PULUMI_ORG }}", "requested-token-type": "urn:pulumi:token-type:access_token:organization" });
        expect(indexOfAction(job, "pulumi/auth-actions")).to.be.lessThan(indexOfAction(job, "pulumi/actions"));
        expect(workflow.text).to.not.match(/PULUMI_ACCESS_TOKEN|secrets\.PULUMI/);
    });

    it("reaches Azure as the preview identity through fresh GitHub OIDC tokens: ARM_USE_OIDC for azure-native, kubelogin's workloadidentity for the AKS stacks, no az CLI login", () => {
        expect(job.env).to.include({ ARM_USE_OIDC: "true", ARM_CLIENT_ID: "${{ vars.AZURE_PREVIEW_CLIENT_ID }}" });
        expect(stepsUsing(job, "azure/login")).to.deep.equal([]);
        expect(onlyStepUsing(job, "azure/use-kubelogin").if).to.equal("matrix.clusterTarget == 'aks'");
        expect(kubeloginVersionOk(job)).to.equal(true);
        expect(indexOfAction(job, "azure/use-kubelogin")).to.be.lessThan(indexOfAction(job, "pulumi/actions"));
        for (const stack of projectStacks()) {
            const config = stackConfig(stack);
            if (config.cluster.target !== "aks") continue;
            expect(kubeloginRun(stackKubeloginArgs(config), jobEnvironment(job, workflow)), stack).to.deep.equal({
                login: "workloadidentity",
                clientId: job.env!["ARM_CLIENT_ID"],
                tenantId: job.env!["ARM_TENANT_ID"],
                credential: "GithubActionsCredential",
            });
        }
    });

    it("caches npm (setup-node) and the Pulumi plugins, keyed by the lockfile", () => {
        const cache = onlyStepUsing(job, "actions/cache");
        expect(cache.with).to.include({ path: "~/.pulumi/plugins", key: "pulumi-plugins-${{ runner.os }}-${{ hashFiles('package-lock.json') }}" });
        expect(indexOfAction(job, "actions/cache")).to.be.lessThan(indexOfAction(job, "pulumi/actions"));
    });

    it("on a failed preview, collects the violations from an event log of the same preview and posts them", () => {
        const failed = job.steps.filter((step) => step.if === "failure() && steps.preview.outcome == 'failure'");
        expect(failed.map((step) => actionOf(step) ?? "run")).to.deep.equal(["run", "actions/github-script"]);
        const [collect, post] = failed as [NonNullable<(typeof failed)[0]>, NonNullable<(typeof failed)[0]>];
        expect(collect.run).to.contain('pulumi preview --stack "$STACK"');
        expect(collect.run).to.contain('--policy-pack "$POLICY_PACK" --policy-pack-config "$POLICY_CONFIG"');
        expect(collect.run).to.contain('--event-log "$RUNNER_TEMP/preview-events.jsonl"');
        expect(collect.run).to.contain('tools/preview-violations.ts --stack "$STACK_NAME"');
        expect(collect.run).to.contain('> "$RUNNER_TEMP/violations.md"');
        expect(post.env!["BODY_FILE"]).to.equal("${{ runner.temp }}/violations.md");
        expect(String(post.with!["script"])).to.contain("upsertComment({ github, ...context.repo, issueNumber: context.issue.number, body })");
        expect(fs.existsSync(path.join(ROOT, "tools/preview-violations.ts"))).to.equal(true);
    });

    it("on a passing preview, rewrites an earlier violations comment but never creates one", () => {
        const fixed = job.steps.filter((step) => step.if === "success()");
        expect(fixed).to.have.length(1);
        const script = String(fixed[0]!.with!["script"]);
        expect(script).to.contain('"--resolved"');
        expect(script).to.contain("createIfMissing: false");
    });
});

describe("deploy.yml", () => {
    const workflow = loadWorkflow("deploy.yml");
    const staging = workflow.jobs["staging"]!;
    const prod = workflow.jobs["prod"]!;

    it("runs on pushes to main and on release tags", () => {
        expect(workflow.on).to.deep.equal({ push: { branches: ["main"], tags: ["v*.*.*"] } });
        expect(workflow.permissions).to.deep.equal({});
    });

    it("deploys staging from main and prod from a release tag, each in its stack's GitHub environment", () => {
        expect(staging.if).to.equal("github.ref == 'refs/heads/main'");
        expect(staging.environment).to.equal("staging");
        expect(prod.if).to.equal("startsWith(github.ref, 'refs/tags/v')");
        expect(prod.environment).to.equal("prod");
    });

    it("runs one deploy at a time per stack and never cancels one mid-update", () => {
        expect(staging.concurrency).to.deep.equal({ group: "deploy-staging", "cancel-in-progress": false });
        expect(prod.concurrency).to.deep.equal({ group: "deploy-prod", "cancel-in-progress": false });
    });

    for (const [stack, job] of [
        ["staging", staging],
        ["prod", prod],
    ] as const) {
        it(`${stack}: pulumi up on the ${stack} stack with the policy pack, every policy mandatory, after OIDC logins`, () => {
            expect(job.permissions).to.deep.equal({ contents: "read", "id-token": "write" });
            const up = onlyStepUsing(job, "pulumi/actions");
            expect(up.with).to.include({ command: "up", "stack-name": `\${{ vars.PULUMI_ORG }}/${stack}`, "comment-on-summary": true });
            expect(policyWiring(job, workflow)).to.deep.equal({ packs: "policies", configs: POLICY_CONFIG });
            expect(job.env).to.include({ STACK_NAME: stack, ARM_USE_OIDC: "true", ARM_CLIENT_ID: "${{ vars.AZURE_CLIENT_ID }}" });
            for (const login of ["pulumi/auth-actions", "azure/use-kubelogin"]) {
                expect(indexOfAction(job, login), login).to.be.within(0, indexOfAction(job, "pulumi/actions"));
            }
        });

        it(`${stack}: kubelogin gets its Kubernetes tokens as the deploy identity from fresh GitHub OIDC tokens, however long the run (no az CLI login, whose token expires)`, () => {
            expect(stepsUsing(job, "azure/login")).to.deep.equal([]);
            expect(kubeloginVersionOk(job)).to.equal(true);
            const config = stackConfig(stack);
            const args = stackKubeloginArgs(config);
            // The deploy identity is the one getClientConfig reports: the stack gives it Cluster Admin.
            expect(kubeloginRun(args, jobEnvironment(job, workflow))).to.deep.equal({
                login: "workloadidentity",
                clientId: job.env!["ARM_CLIENT_ID"],
                tenantId: job.env!["ARM_TENANT_ID"],
                credential: "GithubActionsCredential",
            });
            // An engineer running the same stack locally gets the stack's own mode.
            expect(kubeloginRun(args, {}).login).to.equal(config.cluster.aks!.kubeloginMode);
        });

        it(`${stack}: has time for the worst case of a first deploy, and a Pulumi token that outlives the job`, () => {
            const worst = totalMinutes(worstCaseFirstDeploy(stackConfig(stack)));
            expect(job["timeout-minutes"])
                .to.be.at.least(Math.ceil(worst * TIMEOUT_MARGIN))
                .and.at.most(GITHUB_JOB_LIMIT_MINUTES);
            // docs/ci.md's timeline table is prod's; it must say what the model says.
            if (stack === "prod")
                expect(fs.readFileSync(path.join(ROOT, "docs/ci.md"), "utf8")).to.contain(
                    `| **total** | **${worst}** | job timeout ${job["timeout-minutes"]} |`,
                );
            const expiration = Number(onlyStepUsing(job, "pulumi/auth-actions").with!["token-expiration"]);
            expect(expiration / 60, "token-expiration (minutes)").to.be.greaterThan(job["timeout-minutes"]!);
        });

        it(`${stack}: says how to recover when the run is cancelled or times out mid-update`, () => {
            const last = job.steps[job.steps.length - 1]!;
            expect(last.if).to.equal("cancelled()");
            expect(last.run).to.contain('>> "$GITHUB_STEP_SUMMARY"');
            expect(last.run).to.contain("Recovering an interrupted deploy");
            expect(fs.readFileSync(path.join(ROOT, "docs/ci.md"), "utf8")).to.contain("## Recovering an interrupted deploy");
        });

        it(`${stack}: type-checks and renders the stack offline (policy pack included) before logging in anywhere`, () => {
            const preflight = job.steps.findIndex((step) => step.run?.includes('npm run -s render -- "$STACK_NAME"'));
            expect(preflight).to.be.at.least(0);
            expect(job.steps[preflight]!.run).to.contain("npm run typecheck");
            expect(preflight).to.be.lessThan(indexOfAction(job, "pulumi/auth-actions"));
        });
    }

    it("prepares both stacks with the same actions in the same order", () => {
        const actions = (job: Job) => job.steps.map(actionOf).filter(Boolean);
        expect(actions(prod)).to.deep.equal(actions(staging));
    });

    it("deploys prod only from a tag on main", () => {
        const guard = prod.steps.find((step) => step.run?.includes("merge-base --is-ancestor"));
        expect(guard?.run).to.equal('git merge-base --is-ancestor "$GITHUB_SHA" origin/main');
        expect(onlyStepUsing(prod, "actions/checkout").with).to.include({ "fetch-depth": 0 });
    });
});
