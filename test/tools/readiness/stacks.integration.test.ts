/**
 * Tier 3: each readiness rule fires on a stack file that breaks it, rendered through the real
 * program, and stays quiet on the same file fixed.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RuleId } from "../../../tools/readiness";
import { renderVariant } from "./render-variant";

/** `file`: the stack files' prefix when it is not the rule's id. */
const cases: { rule: RuleId; file?: string; expect: RegExp }[] = [
    { rule: "engine", expect: /RandomPassword::mysql-admin-password: Default provider for 'random' disabled\. '.*' must use an explicit provider\./ },
    {
        rule: "references",
        expect: /Deployment\/agent-platform\/agent-runtime: .* use Secret agent-platform\/runtime-secrets, declared pre-existing by agent-platform:agentRuntime\.secrets\.existingSecret\.name/,
    },
    {
        rule: "references",
        file: "keyvault",
        expect: /ExternalSecret\/agent-platform\/agent-runtime-secrets: reads Key Vault secret "supabase-jwt-secret" .*, which the stack neither seeds nor generates.*`az keyvault secret set --vault-name <vault name: pulumi stack output keyVaultName> --name supabase-jwt-secret --value \.\.\./,
    },
    { rule: "scheduling", expect: /Deployment\/agent-platform\/agent-runtime: its pods request 0\.50 CPU and 7\.0 GiB, more than one node can allocate/ },
    { rule: "routing", expect: /Ingress\/agent-platform\/agent-runtime: its class nginx is served by no controller/ },
    { rule: "crds", expect: /ServiceMonitor\/agent-platform\/agent-runtime: no CRD for monitoring.coreos.com\/v1 ServiceMonitor/ },
    {
        rule: "connectivity",
        expect: /Deployment\/agent-platform\/hypha-k8s-worker: cannot reach hypha-server.hypha:9527, which hyphaWorker.hypha.serverUrl names/,
    },
    { rule: "names", expect: /Deployment\/agent-platform\/agent-runtime: metadata label app.kubernetes.io\/version=".*": must be no more than 63 characters/ },
];

describe("readiness rules on real renders of broken and fixed stacks", () => {
    for (const { rule, file = rule, expect: pattern } of cases) {
        it(`${rule}: fires on ${file}-broken.yaml and stays quiet on ${file}-fixed.yaml`, async () => {
            const broken = (await renderVariant(`${file}-broken.yaml`)).readiness.filter((f) => f.rule === rule);
            expect(broken.map((f) => `${f.object}: ${f.message}`).join("\n")).to.match(pattern);
            expect(broken.every((f) => f.severity === "error")).to.equal(true);
            const fixed = (await renderVariant(`${file}-fixed.yaml`)).readiness.filter((f) => f.rule === rule);
            expect(fixed).to.deep.equal([]);
        });
    }
});

describe("npm run render with readiness errors", () => {
    const ROOT = path.resolve(__dirname, "../../..");
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "readiness-cli-"));
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    it("writes readiness.json, prints the findings after the policy verdict and exits 1", () => {
        const run = spawnSync(
            process.execPath,
            [
                "--require",
                path.join(ROOT, "tools/ts-register.js"),
                path.join(ROOT, "tools/render.ts"),
                "readiness-test",
                "--config-file",
                path.join(__dirname, "stacks/connectivity-broken.yaml"),
                "--out",
                path.join(out, "r"),
            ],
            { cwd: ROOT, encoding: "utf8" },
        );
        expect(run.status, run.stderr).to.equal(1);
        const findings = JSON.parse(fs.readFileSync(path.join(out, "r", "readiness.json"), "utf8"));
        expect(findings).to.deep.equal([
            {
                severity: "error",
                rule: "connectivity",
                object: "Deployment/agent-platform/hypha-k8s-worker",
                message:
                    "cannot reach hypha-server.hypha:9527, which hyphaWorker.hypha.serverUrl names: the network policies drop it. Allow it in `hyphaWorker.networkPolicy` (an endpoint override or an extra egress peer).",
            },
        ]);
        const policyAt = run.stdout.indexOf("Policy check:");
        expect(policyAt).to.be.greaterThan(0);
        expect(run.stdout.indexOf("ERROR [connectivity] Deployment/agent-platform/hypha-k8s-worker")).to.be.greaterThan(policyAt);
        expect(run.stdout).to.contain("Readiness: 1 error, 0 warnings");
    });
});
