/**
 * What an adopter meets first in the config layer: a block turned off needs nothing else, and a
 * value YAML turned into a number where a string belongs says to quote it.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, parseStackConfig } from "../../components/config";
import { objectKeys, schemaAtPath } from "../../components/config/introspect";
import { stackConfigSchema } from "../../components/config/schema";
import { loadStackFiles } from "../../tools/render/stack-files";
import { rawConfig } from "../helpers/stack-config";

const CLUSTER_ONLY = { cluster: { kubeconfigPath: "/etc/kubeconfig" } };

/** Problems of a config built from `blocks` alone (no minimal runtime secrets laid under it). */
function problems(blocks: Record<string, unknown>, secretKeys: string[] = []): readonly string[] {
    try {
        parseStackConfig(rawConfig(blocks, CLUSTER_ONLY), new Set(secretKeys));
        return [];
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return err.problems;
    }
}

/** Top-level blocks with an `enabled` switch. */
const switchable = Object.keys(stackConfigSchema.shape).filter((block) => objectKeys(schemaAtPath(stackConfigSchema, [block])!).includes("enabled"));

describe("stack config: a disabled block", () => {
    it("covers every service block", () => {
        expect(switchable).to.include.members(["agentRuntime", "agentBackend", "hyphaWorker", "aiAgents"]);
    });

    it("agentRuntime: { enabled: false } needs none of the runtime's Supabase secrets", () => {
        expect(problems({ agentRuntime: { enabled: false } })).to.deep.equal([]);
    });

    it("still yields the whole config, defaults and its own settings in place", () => {
        const config = parseStackConfig(rawConfig({ agentRuntime: { enabled: false, replicas: 3 } }, CLUSTER_ONLY), new Set());
        expect(config.agentRuntime.enabled).to.equal(false);
        expect(config.agentRuntime.replicas).to.equal(3);
        expect(config.agentRuntime.runtime).to.equal("python");
        expect(config.agentRuntime.secrets).to.deep.equal({ mode: "managed", values: {} });
        expect(config.agentRuntime.ingress.enabled).to.equal(false);
        expect(config.namespace).to.deep.equal({ name: "agent-platform", create: true, podSecurity: "restricted" });
        expect(config.cluster.kubeconfigPath).to.equal("/etc/kubeconfig");
    });

    for (const block of switchable) {
        it(`${block}: { enabled: false } is complete on its own`, () => {
            expect(problems({ agentRuntime: { enabled: false }, [block]: { enabled: false } })).to.deep.equal([]);
        });
    }

    it("keeps what it would need when enabled out of the way, with settings left in place", () => {
        const blocks = {
            agentRuntime: {
                enabled: false,
                secrets: { mode: "external" },
                networkPolicy: { enabled: true },
                podDisruptionBudget: { enabled: true, minAvailable: 5 },
            },
            aiAgents: { enabled: false, ingress: { enabled: true } },
            agentBackend: { enabled: false, database: { port: 3306 } },
        };
        expect(problems(blocks)).to.deep.equal([]);
    });

    it("still checks its types: a wrong type, an unknown key and an enum typo are reported", () => {
        expect(problems({ agentRuntime: { enabled: false, replicas: "many", replcas: 2, runtime: "go" } })).to.have.members([
            "agent-platform:agentRuntime.replicas: expected number, got string (allowed: whole numbers from 0 to 100)",
            "agent-platform:agentRuntime.replcas: unknown key (allowed: " + objectKeys(schemaAtPath(stackConfigSchema, ["agentRuntime"])!).join(", ") + ")",
            "agent-platform:agentRuntime.runtime: 'go' is not allowed (allowed: python, ts)",
        ]);
    });

    it("an enabled block still demands what it needs", () => {
        expect(problems({ agentRuntime: {} }).join("\n")).to.contain("agent-platform:agentRuntime.secrets.supabaseKey: is required");
        expect(problems({ agentRuntime: { enabled: false }, aiAgents: { enabled: true } }).join("\n")).to.contain(
            "agent-platform:aiAgents.image.tag: is required",
        );
    });

    it("a nested block that is off waives its own demands only", () => {
        const runtime = { secrets: { mode: "existing", existingSecret: { name: "s" } } };
        expect(problems({ agentRuntime: { ...runtime, ingress: { enabled: false } } })).to.deep.equal([]);
        expect(problems({ agentRuntime: { ...runtime, ingress: { enabled: true } } }).join("\n")).to.contain("agent-platform:agentRuntime.ingress.host");
    });
});

describe("stack config: a number or boolean where a string belongs", () => {
    it("says to quote it, with the key as the stack file spells it", () => {
        const found = problems({ agentRuntime: { secrets: { mode: "existing", existingSecret: { name: "s" } }, image: { tag: 1.1 } } });
        expect(found).to.have.length(1);
        expect(found[0]).to.match(
            /^agent-platform:agentRuntime\.image\.tag: expected string, got number 1\.1: quote it in the stack file, e\.g\. tag: "1\.1" \(unquoted, YAML reads 1\.10 as the number 1\.1\)/,
        );
    });

    it("works for any string field, booleans included", () => {
        const found = problems({ agentRuntime: { enabled: false }, namespace: { name: true } });
        expect(found[0]).to.match(/^agent-platform:namespace\.name: expected string, got boolean true: quote it in the stack file, e\.g\. name: "true"/);
    });

    it("never echoes a sensitive value", () => {
        const found = problems({ cluster: { kubeconfig: 987654321 } }, ["agent-platform:cluster"]);
        const message = found.find((p) => p.startsWith("agent-platform:cluster.kubeconfig: expected string"));
        expect(message, found.join("\n")).to.be.a("string");
        expect(found.join("\n")).not.to.contain("987654321");
        expect(message).to.contain("quote it");
    });
});

describe("stack config: an unquoted number in a stack file", () => {
    it("is read by YAML as a number, and the error says to quote it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quote-hint-"));
        try {
            const file = path.join(dir, "Pulumi.tag.yaml");
            fs.writeFileSync(
                file,
                "config:\n  agent-platform:cluster:\n    kubeconfigPath: /k\n  agent-platform:agentRuntime:\n    enabled: false\n  agent-platform:hyphaWorker:\n    image:\n      tag: 1.10\n",
            );
            const files = loadStackFiles(path.resolve(__dirname, "../.."), "tag", file);
            expect(() => parseStackConfig(files.config, new Set(files.secretKeys))).to.throw(
                ConfigError,
                'agent-platform:hyphaWorker.image.tag: expected string, got number 1.1: quote it in the stack file, e.g. tag: "1.1"',
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
