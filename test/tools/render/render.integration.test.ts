/**
 * Tier 3: the real program rendered offline through the CLI, as users and CI run it.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { parseStackConfig } from "../../../components/config";
import { checkObjects, parsePolicyConfig } from "../../../policies/evaluate";
import { stringify } from "yaml";
import { knownStacks, loadStackFiles } from "../../../tools/render/stack-files";
import { requireTool } from "../../helpers/external-tools";
import { validateAgainstSchema } from "../../helpers/kubernetes-schema";
import { readAsYaml11 } from "../../helpers/pyyaml";

const ROOT = path.resolve(__dirname, "../../..");
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
    // Every stack file of the project: adding Pulumi.<stack>.yaml adds its tests.
    for (const stack of knownStacks(ROOT)) {
        const files = loadStackFiles(ROOT, stack);
        const config = parseStackConfig(files.config, new Set(files.secretKeys));
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

            it("ends the summary with the stack outputs, and its resource counts add up to the total", () => {
                const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
                const perComponent = run.stdout.split("Resources per component:\n")[1]!.split("\n\n")[0]!.split("\n");
                const count = (line: string) => Number(/(\d+)$/.exec(line)![1]);
                const total = perComponent.find((line) => /^\s+total\s/.test(line))!;
                const parts = perComponent.filter((line) => !/^\s+total\s/.test(line));
                expect(parts.some((line) => line.includes("(outside components)"))).to.equal(true);
                expect(parts.reduce((sum, line) => sum + count(line), 0)).to.equal(count(total));
                expect(count(total)).to.equal(plan.resources.filter((r: any) => r.custom).length);
                expect(run.stdout).to.contain(`${plan.resources.filter((r: any) => r.custom).length} resources in all`);
                const outputs = run.stdout.split("Stack outputs:\n")[1]!.split("\n\n")[0]!;
                expect(Object.keys(plan.outputs).length).to.be.greaterThan(0);
                for (const [name, value] of Object.entries(plan.outputs)) {
                    expect(outputs).to.match(new RegExp(`^  ${name} +${(typeof value === "string" ? value : JSON.stringify(value)).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
                }
                expect(outputs).not.to.contain("ciphertext");
            });

            it("writes YAML that a YAML 1.1 reader (PyYAML) reads exactly as a YAML 1.2 reader does", function () {
                const yamlFiles = filesUnder(out).filter((f) => f.endsWith(".yaml"));
                const read11 = readAsYaml11(this, yamlFiles);
                for (const file of yamlFiles) expect(read11[file], file).to.deep.equal(parse(fs.readFileSync(file, "utf8")));
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

            if (config.cluster.target === "aks") {
                it("creates the AKS cluster, and the MySQL server and Key Vault where the stack enables them, visible in plan.json", () => {
                    const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
                    const types = new Set(plan.resources.map((r: any) => r.type));
                    expect(types.has("azure-native:containerservice:ManagedCluster")).to.equal(true);
                    expect(types.has("azure-native:dbformysql:Server")).to.equal(config.azure.mysql.enabled);
                    expect(types.has("azure-native:keyvault:Vault")).to.equal(config.azure.keyVault.enabled);
                    expect(plan.outputs.kubeconfig).to.equal(REDACTED);
                    expect(run.stdout).to.match(/^ {2}kubeconfig +\[secret: redacted\]$/m);
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
            expect(run.stderr).to.contain(`known stacks: ${knownStacks(ROOT).join(", ")}`);
        });

        it("exits 2 with the usage on bad arguments", () => {
            const run = render("dev", "--bogus");
            expect(run.status).to.equal(2);
            expect(run.stderr).to.contain("usage: npm run render");
        });

        it("names a missing --config-file as a missing file, not an unknown stack (exit 2)", () => {
            const missing = path.join(tmp, "Pulumi.mytest.yaml");
            const run = render("mytest", "--config-file", missing);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.contain(`--config-file ${missing}: no such file`);
            expect(run.stderr).not.to.contain("unknown stack");
        });

        it("says to quote a number where a string belongs", () => {
            const stackFile = path.join(tmp, "Pulumi.tag.yaml");
            fs.writeFileSync(stackFile, "config:\n  agent-platform:cluster:\n    kubeconfigPath: /k\n  agent-platform:agentRuntime:\n    enabled: false\n  agent-platform:hyphaWorker:\n    image:\n      tag: 1.10\n");
            const run = render("dev", "--config-file", stackFile, "--out", path.join(tmp, "tag"));
            expect(run.status).to.equal(1);
            expect(run.stderr).to.contain('agent-platform:hyphaWorker.image.tag: expected string, got number 1.1: quote it in the stack file, e.g. tag: "1.1"');
        });

        it("refuses an --out directory holding other files, with exit 2, and leaves them alone", () => {
            const out = path.join(tmp, "users-own");
            fs.mkdirSync(out);
            fs.writeFileSync(path.join(out, "notes.txt"), "mine");
            const run = render("dev", "--out", out);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.contain(`refusing to write the render to ${out}: it holds files that are not a render (notes.txt)`);
            expect(fs.readdirSync(out)).to.deep.equal(["notes.txt"]);
        });
    });

    describe("a stack whose agent runtime is off", () => {
        it("renders without the runtime's secrets, and without the runtime", () => {
            const stackFile = path.join(tmp, "Pulumi.noruntime.yaml");
            fs.writeFileSync(stackFile, "config:\n  agent-platform:cluster:\n    kubeconfigPath: ~/.kube/config\n  agent-platform:agentRuntime:\n    enabled: false\n");
            const out = path.join(tmp, "noruntime");
            const run = render("noruntime", "--config-file", stackFile, "--out", out);
            expect(run.status, run.stderr).to.equal(0);
            const kinds = objectsUnder(out).map((o) => `${o.kind}/${o.metadata.name}`);
            expect(kinds).to.include("Namespace/agent-platform");
            expect(kinds.filter((k) => k.includes("agent-runtime"))).to.deep.equal([]);
        });
    });

    describe("a second render", () => {
    it("removes files of an earlier render from the output directory", () => {
        const out = path.join(tmp, "dev");
        expect(fs.existsSync(path.join(out, "plan.json")), "the dev render above").to.equal(true);
        fs.mkdirSync(path.join(out, "kubernetes", "old"), { recursive: true });
        fs.writeFileSync(path.join(out, "kubernetes", "old", "deployment-gone.yaml"), "kind: Deployment\n");
        expect(render("dev", "--out", out).status).to.equal(0);
        expect(fs.existsSync(path.join(out, "kubernetes", "old"))).to.equal(false);
    });
    });
});
