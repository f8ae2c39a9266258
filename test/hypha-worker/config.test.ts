/**
 * Tier 1: the `hyphaWorker` block (defaults, value and cross-field rules) and the rules
 * between it and the other blocks of a stack.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { referenceRows, sensitivePathsIn, undescribedFields } from "../../components/config/introspect";
import type { ParsedBlocks } from "../../components/config";
import { stackProblems } from "../../components/config/rules";
import { keyPath } from "../../components/core/problems";
import { parseQuantity } from "../../components/hypha-worker/quantity";
import { hyphaWorkerBlock } from "../../components/hypha-worker/schema";
import { blockProblems, clusterFacts, workerConfig } from "./worker-args";

const undescribed = undescribedFields;

describe("hyphaWorker config block", () => {
    it("is off unless a stack turns it on", () => {
        expect(hyphaWorkerBlock.parse({}).enabled).to.equal(false);
    });

    it("takes the seed's defaults: server, workspace, service id, visibility, job timeout and pull policy, resources", () => {
        const config = workerConfig();
        expect(config.hypha).to.deep.equal({
            serverUrl: "http://hypha-server.hypha.svc.cluster.local:9520",
            workspace: "hypha-agents",
            serviceId: "k8s-worker",
            visibility: "protected",
            logLevel: "INFO",
        });
        expect(config.jobs).to.deep.include({ namespace: "hypha-jobs", createNamespace: true, defaultTimeoutSeconds: 3600, imagePullPolicy: "IfNotPresent" });
        expect(config.resources).to.deep.equal({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1000m", memory: "512Mi" } });
        expect(config.image).to.deep.equal({ repository: "oeway/hypha-k8s-worker", tag: "0.1.0", pullPolicy: "IfNotPresent" });
        expect(config.replicas).to.equal(1);
    });

    it("reads the token from the seed's existing Secret hypha-secrets, key HYPHA_AGENTS_TOKEN, by default", () => {
        const { secrets } = workerConfig();
        expect(secrets.mode).to.equal("existing");
        expect(secrets.existingSecret).to.deep.equal({ name: "hypha-secrets", keys: {} });
    });

    it("expects the claude-agent jobs' Secret deno-claude-code-config to exist by default", () => {
        const { claudeAgent } = workerConfig();
        expect(claudeAgent.secrets.mode).to.equal("existing");
        expect(claudeAgent.secrets.existingSecret?.name).to.equal("deno-claude-code-config");
    });

    it("describes every field, including list elements and map values", () => {
        expect(undescribed(hyphaWorkerBlock, "")).to.deep.equal([]);
    });

    it("docs/hypha-worker.md documents every config key", () => {
        const doc = readFileSync(join(__dirname, "..", "..", "docs", "hypha-worker.md"), "utf8");
        const keys = referenceRows(hyphaWorkerBlock)
            .filter((row) => row.type !== "object")
            .map((row) => row.key)
            // The shared fragments are documented once, in docs/secrets.md and docs/network-policy.md.
            .filter((key) => !/^(secrets|claudeAgent\.secrets|networkPolicy)\./.test(key));
        expect(keys.filter((key) => !doc.includes(`\`${key}\``))).to.deep.equal([]);
    });

    describe("rejects, naming the key and what is allowed", () => {
        const cases: Array<[string, Record<string, unknown>, string]> = [
            [
                "a server URL of another scheme",
                { hypha: { serverUrl: "ftp://hypha.example.com" } },
                "hypha.serverUrl: 'ftp:' is not allowed (allowed: http, https, ws, wss)",
            ],
            ["a server URL that is no URL", { hypha: { serverUrl: "hypha server" } }, "hypha.serverUrl: 'hypha server' is not a URL"],
            ["a second replica", { replicas: 2 }, "replicas: Too big"],
            ["an unknown visibility", { hypha: { visibility: "private" } }, "hypha.visibility: Invalid option"],
            [
                "a server peer with an empty selector",
                { hypha: { serverEgress: { namespaceSelector: {}, ports: [{ port: 9520 }] } } },
                "hypha.serverEgress.namespaceSelector: must name at least one label",
            ],
            [
                "a server peer without ports",
                { hypha: { serverEgress: { cidr: "10.1.2.0/24", ports: [] } } },
                "hypha.serverEgress.ports: must list at least one port",
            ],
            [
                "a default request above the default limit",
                { jobs: { limitRange: { defaultRequest: { cpu: "2" } } } },
                "jobs.limitRange.defaultRequest.cpu: must not exceed limitRange.default.cpu (1)",
            ],
            [
                "a default limit above the maximum",
                { jobs: { limitRange: { default: { memory: "16Gi" } } } },
                "jobs.limitRange.default.memory: must not exceed limitRange.max.memory (8Gi)",
            ],
            [
                "a maximum below what claude-agent jobs set",
                { jobs: { limitRange: { max: { cpu: "1" } } } },
                "jobs.limitRange.max.cpu: must be at least 2: claude-agent jobs set that limit",
            ],
            [
                "a quota too small for one claude-agent job",
                { jobs: { resourceQuota: { limitsMemory: "1Gi" } } },
                "jobs.resourceQuota.limitsMemory: must be at least 2Gi: one claude-agent job needs that much",
            ],
            [
                "a quota that is not a quantity",
                { jobs: { resourceQuota: { requestsCpu: "eight" } } },
                "jobs.resourceQuota.requestsCpu: must be a Kubernetes quantity",
            ],
            [
                "a jobs value from another Secret",
                { claudeAgent: { secrets: { mode: "managed", anthropicApiKey: { existingSecret: { name: "other" } }, hyphaToken: { value: "t" } } } },
                "claudeAgent.secrets.anthropicApiKey.existingSecret: is not allowed: jobs read both values from one Secret",
            ],
            [
                "remapped keys of the jobs' Secret",
                { claudeAgent: { secrets: { mode: "existing", existingSecret: { name: "mine", keys: { anthropicApiKey: "anthropic" } } } } },
                "claudeAgent.secrets.existingSecret.keys: is not allowed: the worker fixes the keys",
            ],
            [
                "a Secret name that the existing mode would not use",
                { claudeAgent: { secretName: "other", secrets: { mode: "existing", existingSecret: { name: "mine" } } } },
                "claudeAgent.secretName: is not used in mode `existing`",
            ],
            [
                "the ExternalSecret's own target name",
                { claudeAgent: { secrets: { mode: "external", external: { secretName: "x" } } } },
                "claudeAgent.secrets.external.secretName: is not allowed: name the Secret with `claudeAgent.secretName`",
            ],
            [
                "a managed jobs Secret without the Anthropic key",
                { claudeAgent: { secrets: { mode: "managed", hyphaToken: { value: "t" } } } },
                "claudeAgent.secrets.anthropicApiKey: is required",
            ],
            ["an unknown key", { jobs: { namespce: "x" } }, 'jobs: Unrecognized key: "namespce"'],
        ];
        for (const [what, block, message] of cases) {
            it(what, () => {
                const problems = blockProblems(block);
                expect(
                    problems.some((p) => p.startsWith(message)),
                    `${problems.join("\n")}\n  should include: ${message}`,
                ).to.equal(true);
            });
        }
    });

    it("accepts a short Service name and a private address (the network policy derives their rules), with or without an explicit server peer, and any server when the worker's policy is off", () => {
        expect(blockProblems({ hypha: { serverUrl: "http://hypha-server:9520" } })).to.deep.equal([]);
        expect(blockProblems({ hypha: { serverUrl: "https://10.1.2.3" } })).to.deep.equal([]);
        expect(
            blockProblems({
                hypha: { serverUrl: "http://hypha-server:9520", serverEgress: { podSelector: { app: "hypha-server" }, ports: [{ port: 9520 }] } },
            }),
        ).to.deep.equal([]);
        expect(blockProblems({ hypha: { serverUrl: "http://hypha-server:9520" }, networkPolicy: { enabled: false } })).to.deep.equal([]);
    });

    it("marks both tokens and the Anthropic key sensitive, so a plain-text value is refused once the block is wired", () => {
        const raw = {
            secrets: { mode: "managed", hyphaToken: { value: "t" } },
            claudeAgent: { secrets: { mode: "managed", anthropicApiKey: { value: "a" }, hyphaToken: { value: "t" } } },
            hypha: { workspace: "lab" },
        };
        expect(sensitivePathsIn(hyphaWorkerBlock, raw, "agent-platform:hyphaWorker").sort()).to.deep.equal([
            "agent-platform:hyphaWorker.claudeAgent.secrets.anthropicApiKey.value",
            "agent-platform:hyphaWorker.claudeAgent.secrets.hyphaToken.value",
            "agent-platform:hyphaWorker.secrets.hyphaToken.value",
        ]);
    });

    it("compares quantities across units", () => {
        expect(parseQuantity("500m")).to.equal(0.5);
        expect(parseQuantity("2Gi")).to.equal(2 * 1024 ** 3);
        expect(parseQuantity("1G")).to.be.lessThan(parseQuantity("1Gi"));
        expect(() => parseQuantity("2 cores")).to.throw(/not a Kubernetes quantity/);
    });
});

describe("hyphaWorker rules across stack blocks", () => {
    const stack = (block: Record<string, unknown>, cluster: Record<string, unknown> = {}, platformNamespace = "agents") => ({
        namespace: { name: platformNamespace },
        networkPolicy: clusterFacts(cluster),
        hyphaWorker: workerConfig(block),
    });
    /** The config layer's cross-block rules over these blocks. */
    const hyphaWorkerStackProblems = (blocks: Record<string, unknown>) => stackProblems(blocks as ParsedBlocks);

    it("needs the API server's address once the worker's network policy is on", () => {
        expect(hyphaWorkerStackProblems(stack({}, { apiServer: { cidrs: [] } }))).to.deep.equal([
            {
                path: ["networkPolicy", "apiServer", "cidrs"],
                message:
                    "is required because the Hypha worker calls the Kubernetes API (allowed: the API server's endpoint addresses as CIDRs, e.g. from `kubectl get endpoints kubernetes`, or `networkPolicy.cni: cilium`)",
            },
        ]);
        expect(hyphaWorkerStackProblems(stack({ networkPolicy: { enabled: false } }, { apiServer: { cidrs: [] } }))).to.deep.equal([]);
        expect(hyphaWorkerStackProblems(stack({ enabled: false }, { apiServer: { cidrs: [] } }))).to.deep.equal([]);
    });

    it("keeps the jobs' guard rails out of the platform namespace and the Hypha server's namespace", () => {
        const inPlatform = hyphaWorkerStackProblems(stack({ jobs: { namespace: "agents" } }));
        expect(inPlatform.map((p) => keyPath(p.path))).to.deep.equal(["hyphaWorker.jobs.namespace"]);
        expect(inPlatform[0]!.message).to.match(
            /^'agents' is also the platform namespace \(`namespace.name`\): the jobs' guard rails \(createNamespace, resourceQuota, limitRange\) would bind every pod there/,
        );
        const withServer = hyphaWorkerStackProblems(stack({ jobs: { namespace: "hypha", createNamespace: false } }));
        expect(withServer[0]!.message).to.match(/^'hypha' is also the Hypha server's namespace .*\(resourceQuota, limitRange\)/);
    });

    it("needs a vault for Key Vault secrets: named in the block or the stack's own", () => {
        const external = { secrets: { mode: "external" }, claudeAgent: { secrets: { mode: "external" } } };
        expect(hyphaWorkerStackProblems(stack(external)).map((p) => `${keyPath(p.path)}: ${p.message}`)).to.deep.equal([
            "hyphaWorker.secrets.external: mode `external` needs a vault (allowed: `external.vaultUrl` and `external.clientId`, or the stack's own `azure.keyVault.enabled`)",
            "hyphaWorker.claudeAgent.secrets.external: mode `external` needs a vault (allowed: `external.vaultUrl` and `external.clientId`, or the stack's own `azure.keyVault.enabled`)",
        ]);
        expect(
            hyphaWorkerStackProblems({ ...stack(external), azure: { keyVault: { enabled: true } } }).filter((p) => p.path[0] === "hyphaWorker"),
        ).to.deep.equal([]);
        const named = {
            secrets: { mode: "external", external: { vaultUrl: "https://kv.vault.azure.net/", clientId: "11111111-2222-3333-4444-555555555555" } },
        };
        expect(hyphaWorkerStackProblems(stack(named))).to.deep.equal([]);
    });

    it("allows a shared namespace when the jobs have no guard rails of their own there", () => {
        const shared = { jobs: { namespace: "agents", createNamespace: false, resourceQuota: { enabled: false }, limitRange: { enabled: false } } };
        expect(hyphaWorkerStackProblems(stack(shared))).to.deep.equal([]);
    });
});
