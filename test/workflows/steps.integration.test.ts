/**
 * The workflow steps that list the stacks, run for real through bash and npm as GitHub runs them:
 * what ci.yml writes to $GITHUB_ENV and what preview.yml's matrix receives. Their place in the
 * workflows is checked in ci.test.ts and preview-deploy.test.ts.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LIST_MATRIX, LIST_STACKS, projectStacks, ROOT } from "./support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-steps-test-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function bash(script: string, env: Record<string, string>) {
    return spawnSync("bash", ["-c", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
}

describe("workflow steps that list the stacks, run for real", () => {
    it("ci.yml: writes every stack of the project to $GITHUB_ENV as STACKS", () => {
        const env = path.join(tmp, "github-env");
        const run = bash(LIST_STACKS, { GITHUB_ENV: env });
        expect(run.status, run.stderr).to.equal(0);
        expect(fs.readFileSync(env, "utf8")).to.equal(`STACKS=${projectStacks().join(" ")}\n`);
    });

    it("preview.yml: gives the matrix every stack file, with its cluster target", () => {
        const output = path.join(tmp, "github-output");
        const run = bash(LIST_MATRIX, { GITHUB_OUTPUT: output });
        expect(run.status, run.stderr).to.equal(0);
        const [name, json] = fs.readFileSync(output, "utf8").trimEnd().split(/=(.*)/s) as [string, string];
        expect(name).to.equal("stacks");
        const entries = JSON.parse(json) as Array<{ stack: string; clusterTarget: string }>;
        expect(entries.map((entry) => entry.stack)).to.deep.equal(projectStacks());
        for (const entry of entries) expect(["kubeconfig", "aks"]).to.include(entry.clusterTarget);
    });
});
