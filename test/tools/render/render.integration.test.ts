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
import { checkObjects, evaluateObjects, loadPolicyConfigFile, parsePolicyConfig } from "../../../policies/evaluate";
import { CI_POLICY_CONFIG, unexpandedCharts } from "../../../tools/policy-check/unexpanded";
import { stringify } from "yaml";
import { writeRender } from "../../../tools/render/output";
import { knownStacks, loadStackFiles } from "../../../tools/render/stack-files";
import { requireTool } from "../../helpers/external-tools";
import { validateAgainstSchema } from "../../helpers/kubernetes-schema";
import { readAsYaml11 } from "../../helpers/pyyaml";
import { CliRun, filesUnder, objectsUnder, REDACTED, render, ROOT } from "./cli";

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
            // What an earlier render left there, which this one must remove.
            const stale = path.join(out, "kubernetes", "old", "deployment-gone.yaml");
            before(() => {
                writeRender(out, { project: "agent-platform", stack, resources: [], outputs: {} }, [], ROOT);
                fs.mkdirSync(path.dirname(stale), { recursive: true });
                fs.writeFileSync(stale, "# Rendered by agent-platform from urn:x\nkind: Deployment\n");
                run = render(stack, "--out", out);
            });

            it("removes the files of an earlier render from the output directory", () => {
                expect(fs.existsSync(stale)).to.equal(false);
                expect(fs.existsSync(path.join(out, "plan.json"))).to.equal(true);
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
                    expect(outputs).to.match(
                        new RegExp(`^  ${name} +${(typeof value === "string" ? value : JSON.stringify(value)).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"),
                    );
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
                    expect(
                        text
                            .split("\n")
                            .filter((l) => !l.startsWith("#"))
                            .slice(0, 3)
                            .map((l) => l.split(":")[0]),
                    ).to.deep.equal(["apiVersion", "kind", "metadata"]);
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

            it("names every add-on chart it did not check offline, and no workload of the stack's own sits in a namespace CI exempts", () => {
                const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8"));
                const unexpanded = unexpandedCharts(plan.resources);
                if (unexpanded.length > 0) expect(run.stdout).to.contain(`Not policy-checked offline: ${unexpanded.length} Helm chart`);
                for (const chart of unexpanded)
                    expect(run.stdout).to.contain(
                        `  ${chart.chart} ${chart.version} (${chart.resource}), namespace ${chart.namespace}: exempt from 5 policies`,
                    );
                expect(run.stdout).to.not.contain("Warning:");
                expect(evaluateObjects(objectsUnder(out), loadPolicyConfigFile(path.join(ROOT, CI_POLICY_CONFIG))).exempted).to.deep.equal([]);
            });

            if (config.cluster.target === "aks") {
                it("installs add-on charts on the cluster it creates, each named as not checked offline", () => {
                    expect(unexpandedCharts(JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")).resources).length).to.be.greaterThan(0);
                });
            }

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
});
