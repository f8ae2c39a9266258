/**
 * Tier 3: the real program rendered offline through the CLI, as users and CI run it.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { checkObjects, parsePolicyConfig } from "../policies/evaluate";
import { stringify } from "yaml";
import { requireTool } from "./helpers/external-tools";
import { validateAgainstSchema } from "./helpers/kubernetes-schema";

const ROOT = path.resolve(__dirname, "..");
const REDACTED = "[secret: redacted]";

interface CliRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

function render(...args: string[]): CliRun {
    const run = spawnSync(process.execPath, ["--require", path.join(ROOT, "tools/ts-register.js"), path.join(ROOT, "tools/render.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function filesUnder(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function objectsUnder(dir: string): any[] {
    return filesUnder(dir)
        .filter((f) => f.endsWith(".yaml"))
        .map((f) => parse(fs.readFileSync(f, "utf8")));
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "render-test-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("offline render", () => {
    for (const stack of ["dev", "staging", "prod"]) {
        describe(`stack ${stack}`, () => {
            const out = path.join(tmp, stack);
            let run: CliRun;
            before(() => {
                run = render(stack, "--out", out);
            });

            it("exits 0 and prints the summary", () => {
                expect(run.status, run.stderr).to.equal(0);
                expect(run.stdout).to.contain(`Rendered stack '${stack}'`);
                expect(run.stdout).to.match(/Objects by kind:\n(\s+\w+\s+\d+\n)*\s+Deployment\s+\d+\n/);
                expect(run.stdout).to.contain("Policy check: 0 mandatory");
            });

            it("writes one object per file with apiVersion, kind and metadata first", () => {
                for (const file of filesUnder(out).filter((f) => f.endsWith(".yaml"))) {
                    const text = fs.readFileSync(file, "utf8");
                    expect(text.match(/^---/gm), file).to.equal(null);
                    expect(text.split("\n").filter((l) => !l.startsWith("#")).slice(0, 3).map((l) => l.split(":")[0])).to.deep.equal(["apiVersion", "kind", "metadata"]);
                }
            });

            it("validates every object against the Kubernetes API schema", async () => {
                const objects = objectsUnder(out);
                expect(objects.length).to.be.greaterThan(3);
                for (const object of objects) await validateAgainstSchema(object);
            });

            it("passes every policy of the pack, advisory ones included, when all are mandatory", () => {
                const violations = checkObjects(objectsUnder(out), parsePolicyConfig({ all: "mandatory" }));
                expect(violations.map((v) => `${v.name}: ${v.message}`)).to.deep.equal([]);
            });

            it("lists every resource in plan.json, Kubernetes objects with the explicit provider", () => {
                const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
                const provider = plan.resources.find((r: any) => r.type === "pulumi:providers:kubernetes");
                expect(provider.inputs.clusterIdentifier).to.be.a("string");
                const objects = plan.resources.filter((r: any) => r.custom && r.type.startsWith("kubernetes:"));
                expect(objects.length).to.equal(objectsUnder(out).length);
                for (const r of objects) expect(r.provider, r.urn).to.equal(provider.urn);
                expect(plan.outputs.namespace).to.be.a("string");
            });

            if (stack === "prod") {
                it("alerts on the metrics the runtime exports, and promtool accepts every rule", function () {
                    const promtool = requireTool(this, "promtool", "apt-get install prometheus");
                    const rule = objectsUnder(out).find((o) => o.kind === "PrometheusRule");
                    const exprs = rule.spec.groups.flatMap((g: any) => g.rules.map((r: any) => String(r.expr))).join("\n");
                    expect(exprs).to.contain("agent_runtime_requests_total").and.to.contain("agent_runtime_errors_total");
                    expect(exprs).not.to.contain("http_server_");
                    const file = path.join(tmp, "prod-rules.yaml");
                    fs.writeFileSync(file, stringify({ groups: rule.spec.groups }));
                    const check = spawnSync(promtool, ["check", "rules", file], { encoding: "utf8" });
                    expect(check.status, check.stdout + check.stderr).to.equal(0);
                });
            }

            if (stack !== "dev") {
                it("creates the AKS cluster, and for prod the MySQL server and Key Vault, visible in plan.json", () => {
                    const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
                    const types = new Set(plan.resources.map((r: any) => r.type));
                    expect(types.has("azure-native:containerservice:ManagedCluster")).to.equal(true);
                    expect(types.has("azure-native:dbformysql:Server")).to.equal(stack === "prod");
                    expect(types.has("azure-native:keyvault:Vault")).to.equal(stack === "prod");
                    expect(plan.outputs.kubeconfig).to.equal(REDACTED);
                });
            }
        });
    }

    describe("secrets", () => {
        const ciphertext = "v1:AAAABBBBCCCCDDDDciphertextNEVERinOUTPUT";
        let run: CliRun;
        const out = path.join(tmp, "secure");
        before(() => {
            const stackFile = path.join(tmp, "Pulumi.secure.yaml");
            fs.writeFileSync(
                stackFile,
                [
                    "config:",
                    "  agent-platform:cluster:",
                    "    kubeconfig:",
                    `      secure: ${ciphertext}-kubeconfig`,
                    "  agent-platform:agentRuntime:",
                    "    secrets:",
                    "      supabaseKey:",
                    "        value:",
                    `          secure: ${ciphertext}-supabase`,
                    "      supabaseJwtSecret:",
                    "        value:",
                    `          secure: ${ciphertext}-jwt`,
                    "",
                ].join("\n"),
            );
            run = render("dev", "--config-file", stackFile, "--out", out);
        });

        it("renders a stack whose secure value cannot be decrypted", () => {
            expect(run.status, run.stderr).to.equal(0);
        });
        it("never writes the secure value to a file or stdout", () => {
            expect(run.stdout + run.stderr).not.to.contain("ciphertextNEVER");
            for (const file of filesUnder(out)) expect(fs.readFileSync(file, "utf8"), file).not.to.contain("ciphertextNEVER");
        });
        it("keeps the values secret on their way to the provider and the Secret, so only the redaction shows", async () => {
            const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
            const provider = plan.resources.find((r: any) => r.type === "pulumi:providers:kubernetes");
            expect(provider.inputs.kubeconfig).to.equal(REDACTED);
            const secret = objectsUnder(out).find((o) => o.kind === "Secret");
            expect(secret.stringData).to.deep.equal({ "supabase-jwt-secret": REDACTED, "supabase-key": REDACTED });
            await validateAgainstSchema(secret);
        });
    });

    describe("failures", () => {
        it("exits non-zero naming the bad key, without a stack trace, and writes nothing", () => {
            const stackFile = path.join(tmp, "Pulumi.bad.yaml");
            fs.writeFileSync(stackFile, "config:\n  agent-platform:cluster:\n    kubeconfigPath: /k\n  agent-platform:agentRuntime:\n    replicas: many\n");
            const out = path.join(tmp, "bad");
            const run = render("dev", "--config-file", stackFile, "--out", out);
            expect(run.status).to.equal(1);
            expect(run.stderr).to.contain("agent-platform:agentRuntime.replicas: expected number, got string");
            expect(run.stderr).not.to.match(/^\s+at /m);
            expect(fs.existsSync(out)).to.equal(false);
        });

        it("exits non-zero on an unknown stack, listing the known ones", () => {
            const run = render("qa");
            expect(run.status).to.equal(1);
            expect(run.stderr).to.contain("unknown stack 'qa'");
            expect(run.stderr).to.contain("known stacks: dev, prod, staging");
        });

        it("exits 2 with the usage on bad arguments", () => {
            const run = render("dev", "--bogus");
            expect(run.status).to.equal(2);
            expect(run.stderr).to.contain("usage: npm run render");
        });
    });

    it("removes files of an earlier render from the output directory", () => {
        const out = path.join(tmp, "stale");
        fs.mkdirSync(path.join(out, "kubernetes", "old"), { recursive: true });
        fs.writeFileSync(path.join(out, "kubernetes", "old", "deployment-gone.yaml"), "kind: Deployment\n");
        expect(render("dev", "--out", out).status).to.equal(0);
        expect(fs.existsSync(path.join(out, "kubernetes", "old"))).to.equal(false);
    });
});
