import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { parseStackConfig } from "../../components/config";
import { configProblems, rawConfig, testConfig } from "../helpers/stack-config";
import { undescribedFields } from "../../components/config/introspect";
import { stackConfigSchema } from "../../components/config/schema";
import { CONFIG_REFERENCE, configReferenceDocument } from "../../tools/config-reference";
import { knownStacks, loadStackFiles } from "../../tools/render/stack-files";

const ROOT = path.resolve(__dirname, "../..");
const problemsOf = configProblems;

function secretValue<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
    return new Promise((resolve) => {
        output.apply((value) => {
            void pulumi.isSecret(output).then((secret) => resolve({ value, secret }));
            return value;
        });
    });
}

describe("stack config", () => {
    describe("defaults", () => {
        it("fills every nested default of a minimal config", () => {
            const config = testConfig();
            expect(config.namespace).to.deep.equal({ name: "agent-platform", create: true, podSecurity: "restricted" });
            expect(config.images.pullSecrets).to.deep.equal([]);
            expect(config.agentRuntime.runtime).to.equal("python");
            expect(config.agentRuntime.python).to.deep.equal({ host: "0.0.0.0", port: 8081, workers: 4, devMode: false });
            expect(config.agentRuntime.settings.databasePoolMaxSize).to.equal(10);
        });

        it("keeps defaults of sibling fields when one nested field is overridden", () => {
            const config = testConfig({ agentRuntime: { python: { workers: 2 } } });
            expect(config.agentRuntime.python).to.deep.equal({ host: "0.0.0.0", port: 8081, workers: 2, devMode: false });
        });

        it("ignores provider and pulumi namespaces", () => {
            const config = parseStackConfig(
                { ...rawConfig({}), "kubernetes:context": "x", "azure-native:location": "westeurope", "pulumi:disable-default-providers": '["*"]' },
                new Set(),
            );
            expect(config.namespace.name).to.equal("agent-platform");
        });
    });

    describe("errors name the key path and what is allowed", () => {
        const cases: Array<[string, Record<string, unknown>, string]> = [
            ["an enum typo", { agentRuntime: { runtime: "pyhton" } }, "agent-platform:agentRuntime.runtime: 'pyhton' is not allowed (allowed: python, ts)"],
            [
                "a wrong type",
                { agentRuntime: { replicas: "3" } },
                "agent-platform:agentRuntime.replicas: expected number, got string (allowed: whole numbers from 0 to 100)",
            ],
            [
                "a number out of range",
                { agentRuntime: { replicas: 101 } },
                "agent-platform:agentRuntime.replicas: is out of range (allowed: whole numbers from 0 to 100)",
            ],
            ["a non-integer", { agentRuntime: { python: { workers: 1.5 } } }, "agent-platform:agentRuntime.python.workers: expected int"],
            ["a bad DNS label", { namespace: { name: "Agents_Prod" } }, "agent-platform:namespace.name: must be a DNS-1123 label (allowed: lowercase letters"],
            [
                "a bad digest",
                { agentRuntime: { image: { digest: "sha256:abc" } } },
                "agent-platform:agentRuntime.image.digest: must be a sha256 digest (allowed: sha256:<64 hex characters>)",
            ],
            [
                "a bad URL",
                { agentRuntime: { settings: { supabaseUrl: "not a url" } } },
                "agent-platform:agentRuntime.settings.supabaseUrl: must be an http(s) URL",
            ],
            [
                "a bad quantity",
                { agentRuntime: { resources: { requests: { cpu: "lots", memory: "1Gi" }, limits: { memory: "1Gi" } } } },
                "agent-platform:agentRuntime.resources.requests.cpu: must be a Kubernetes quantity",
            ],
            ["a list item of the wrong type", { images: { pullSecrets: ["ok", 5] } }, "agent-platform:images.pullSecrets[1]: expected string, got number"],
            ["a block that is not an object", { namespace: "agents" }, "agent-platform:namespace: must be an object"],
            [
                "a block given as a scalar",
                { namespace: 5 },
                "agent-platform:namespace: expected object, got number (allowed: an object with keys name, create, podSecurity)",
            ],
            [
                "pool min above max",
                { agentRuntime: { settings: { databasePoolMinSize: 30 } } },
                "agent-platform:agentRuntime.settings.databasePoolMinSize: must not exceed databasePoolMaxSize (10)",
            ],
        ];
        for (const [what, blocks, expected] of cases) {
            it(`reports ${what}`, () => {
                const problems = problemsOf(blocks);
                expect(
                    problems.some((p) => p.startsWith(expected)),
                    `${expected}\nnot in\n${problems.join("\n")}`,
                ).to.equal(true);
            });
        }

        it("reports both kubeconfig sources set together", () => {
            const problems = parseFailure({ cluster: { kubeconfigPath: "/a", kubeconfig: "x" } }, ["agent-platform:cluster"]);
            expect(problems).to.include("agent-platform:cluster.kubeconfig: set either `cluster.kubeconfig` or `cluster.kubeconfigPath`, not both");
        });

        it("refuses a kubeconfig target without a kubeconfig, so the ambient one is never used", () => {
            const problems = parseFailure({ cluster: {} });
            expect(problems[0]).to.match(/^agent-platform:cluster.kubeconfigPath: the kubeconfig target needs/);
        });

        it("reports every problem at once, not just the first", () => {
            const problems = problemsOf({ agentRuntime: { runtime: "go", replicas: -1 }, namespace: { name: "UPPER" } });
            expect(problems).to.have.length(3);
        });
    });

    describe("unknown keys are errors at every level", () => {
        it("rejects an unknown top-level key and lists the known ones", () => {
            const blocks = Object.keys(stackConfigSchema.shape);
            expect(blocks).to.include.members(["namespace", "cluster", "agentRuntime"]);
            expect(problemsOf({ agentRuntme: {} })).to.deep.equal([`agent-platform:agentRuntme: unknown key (allowed: ${blocks.join(", ")})`]);
        });
        it("rejects an unknown key in a block", () => {
            expect(problemsOf({ agentRuntime: { replcas: 2 } })[0]).to.match(
                /^agent-platform:agentRuntime.replcas: unknown key \(allowed: enabled, name, runtime, image, replicas,/,
            );
        });
        it("rejects an unknown key two levels down", () => {
            expect(problemsOf({ agentRuntime: { resources: { requests: { cpu: "1", memory: "1Gi", gpu: "1" }, limits: { memory: "1Gi" } } } })).to.deep.equal([
                "agent-platform:agentRuntime.resources.requests.gpu: unknown key (allowed: cpu, memory)",
            ]);
        });
    });

    describe("sensitive values", () => {
        it("rejects a sensitive value stored in plain text, naming the command that fixes it", () => {
            const problems = parseFailure({ cluster: { kubeconfig: "apiVersion: v1" } });
            expect(problems).to.deep.equal([
                "agent-platform:cluster.kubeconfig: is sensitive and stored in plain text (allowed: a secret, set with `pulumi config set --secret --path cluster.kubeconfig <value>`)",
            ]);
        });

        it("never echoes a sensitive value in an error", () => {
            const problems = parseFailure({ cluster: { kubeconfig: "TOP-SECRET-KUBECONFIG", kubeconfigPath: "/a" } });
            expect(problems.join("\n")).not.to.contain("TOP-SECRET-KUBECONFIG");
        });

        it("turns a secret value into a secret Output", async () => {
            const config = testConfig({ cluster: { kubeconfig: "apiVersion: v1" } }, ["agent-platform:cluster"]);
            const { value, secret } = await secretValue(config.cluster.kubeconfig!);
            expect(value).to.equal("apiVersion: v1");
            expect(secret).to.equal(true);
        });
    });

    describe("the stack files", () => {
        // Every Pulumi.<stack>.yaml: a new stack is one file, and it is checked here too.
        for (const stack of knownStacks(ROOT)) {
            it(`${stack} passes validation`, () => {
                const files = loadStackFiles(ROOT, stack);
                expect(() => parseStackConfig(files.config, new Set(files.secretKeys))).not.to.throw();
            });
        }
    });

    it("is documented in docs/config-reference.md exactly as the schema says (run `npm run docs:config`)", () => {
        const reference = fs.readFileSync(CONFIG_REFERENCE, "utf8");
        expect(configReferenceDocument() === reference, "docs/config-reference.md is stale").to.equal(true);
        expect(reference).to.contain('| `agentRuntime.runtime` | enum | `"python"` |');
    });

    describe("Pulumi.yaml", () => {
        const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
        const declared = Object.keys(project.config).filter((key) => !key.includes(":"));

        it("declares every schema block and nothing else", () => {
            expect(declared).to.deep.equal(Object.keys(stackConfigSchema.shape));
        });
        it("gives each block a description and an empty default, so defaults live only in the schema", () => {
            for (const key of declared) {
                expect(project.config[key].description, key).to.be.a("string").and.not.be.empty;
                expect(project.config[key].default, key).to.deep.equal({});
                expect(project.config[key], key).not.to.have.property("type");
            }
        });
        it("disables the default Kubernetes provider", () => {
            expect(project.config["pulumi:disable-default-providers"]).to.include("kubernetes");
        });
    });
});

function parseFailure(blocks: Record<string, unknown>, secretKeys: string[] = []): readonly string[] {
    return configProblems(blocks, secretKeys);
}

describe("cross-block rules", () => {
    it("requires a vault for external secrets unless the stack has its own Key Vault", () => {
        expect(configProblems({ agentRuntime: { secrets: { mode: "external" } } })).to.deep.equal([
            "agent-platform:agentRuntime.secrets.external: mode `external` needs a vault (allowed: `external.vaultUrl` and `external.clientId`, or the stack's own `azure.keyVault.enabled`)",
        ]);
        expect(() =>
            testConfig({
                cluster: { target: "aks", aks: { location: "westeurope" } },
                azure: { keyVault: { enabled: true } },
                agentRuntime: { secrets: { mode: "external" } },
            }),
        ).not.to.throw();
    });

    it("requires the Postgres location when DATABASE_URL is configured and the network policy is on", () => {
        expect(
            configProblems({ agentRuntime: { secrets: { mode: "existing", existingSecret: { name: "s" }, databaseUrl: { existingSecret: { name: "db" } } } } }),
        ).to.deep.equal([
            "agent-platform:agentRuntime.database: DATABASE_URL is configured, so the network policy needs to know where Postgres is (allowed: `database.cidr`, or `database.namespaceSelector`/`podSelector`)",
        ]);
    });
});

describe("the whole schema", () => {
    it("describes every field, list elements and map values included, for the config reference", () => {
        expect(undescribedFields(stackConfigSchema)).to.deep.equal([]);
    });
});
