/**
 * Shared by the agent backend tests: a valid block with a test's settings laid over it, the
 * component's args, a recording of the component under mocks, and the kubelet's view of a
 * container (its env resolved from the rendered ConfigMaps and known Secret values, `$(VAR)`
 * references expanded).
 */
import * as k8s from "@pulumi/kubernetes";
import { AgentBackend, AgentBackendArgs } from "../../components/agent-backend";
import { AgentBackendConfig, agentBackendBlock } from "../../components/agent-backend/schema";
import { networkPolicyClusterSchema } from "../../components/network-policy/schema";
import { KubernetesObject } from "../../tools/render/manifests";
import { Recorded, recordComponents } from "../helpers/record";

/** Known plaintext the tests pass in; the recording must never contain them. */
export const DB_PASSWORD = 'db-Pa$$w0rd "quoted" #not-a-comment \\ end';
export const ANTHROPIC_KEY = "sk-ant-test-key-0000";
export const LANGCHAIN_KEY = "lsv2-test-key-0000";

export const BASE_BLOCK = {
    enabled: true,
    image: { registry: "cr.seqera.io" },
    database: { host: "mysql.example.internal", name: "agent_backend", username: "agent_backend", cidr: "10.20.0.0/24" },
    secrets: {
        databasePassword: { value: DB_PASSWORD },
        anthropicApiKey: { value: ANTHROPIC_KEY },
        langchainApiKey: { value: LANGCHAIN_KEY },
    },
};

type Block = Record<string, unknown>;

/** `base` with `over` laid on top, objects merged key by key, lists and values replaced. */
export function merge(base: Block, over: Block): Block {
    const out: Block = { ...base };
    for (const [key, value] of Object.entries(over)) {
        const under = base[key];
        const bothObjects = [under, value].every((v) => v && typeof v === "object" && !Array.isArray(v));
        out[key] = bothObjects ? merge(under as Block, value as Block) : value;
    }
    return out;
}

export function backendConfig(over: Block = {}, base: Block = BASE_BLOCK): AgentBackendConfig {
    return agentBackendBlock.parse(merge(base, over));
}

/** Issues of a block that must fail, as `path: message` relative to the block. */
export function blockIssues(block: Block): string[] {
    const result = agentBackendBlock.safeParse(block);
    if (result.success) throw new Error("expected the block to be rejected");
    return result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

export function backendArgs(over: Block = {}, extra: Partial<AgentBackendArgs> = {}, base: Block = BASE_BLOCK): AgentBackendArgs {
    return {
        config: backendConfig(over, base),
        images: { pullSecrets: ["platform-pull"] },
        namespace: "agents",
        networkPolicy: networkPolicyClusterSchema.parse({}),
        platformDomain: "example.com",
        ...extra,
    };
}

export function recordBackend(args: AgentBackendArgs, name = "backend"): Promise<Recorded> {
    return recordComponents((provider: k8s.Provider) => {
        new AgentBackend(name, args, { providers: [provider] });
    });
}

type Container = { name: string; command?: string[]; args?: string[]; env?: any[]; envFrom?: any[] };

/** `secretName/key` -> value: what the test knows the Secrets hold (the render redacts them). */
export type SecretValues = (secretName: string, key: string) => string | undefined;

/** The kubelet's `$(VAR)` expansion: `$$` is a literal `$`, unknown names stay as they are. */
export function kubeletExpand(text: string, env: Record<string, string>): string {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        if (text[i] !== "$" || i + 1 >= text.length) {
            out += text[i];
            continue;
        }
        const next = text[i + 1];
        if (next === "$") {
            out += "$";
            i += 1;
        } else if (next === "(") {
            const close = text.indexOf(")", i + 2);
            if (close < 0) {
                out += "$(";
                i += 1;
            } else {
                const name = text.slice(i + 2, close);
                out += name in env ? env[name] : `$(${name})`;
                i = close;
            }
        } else {
            out += "$" + next;
            i += 1;
        }
    }
    return out;
}

/** A container's environment as the kubelet builds it: envFrom first, then env (later wins). */
export function kubeletEnv(container: Container, objects: KubernetesObject[], secrets: SecretValues): Record<string, string> {
    const env: Record<string, string> = {};
    const configMap = (name: string) => objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === name) as any;
    for (const source of container.envFrom ?? []) {
        if (!source.configMapRef) throw new Error(`unsupported envFrom ${JSON.stringify(source)}`);
        const cm = configMap(source.configMapRef.name);
        if (!cm) throw new Error(`ConfigMap ${source.configMapRef.name} is not rendered`);
        Object.assign(env, cm.data);
    }
    for (const entry of container.env ?? []) {
        if (entry.value !== undefined) env[entry.name] = kubeletExpand(entry.value, env);
        else if (entry.valueFrom?.secretKeyRef) {
            const ref = entry.valueFrom.secretKeyRef;
            const value = secrets(ref.name, ref.key);
            if (value === undefined) throw new Error(`no known value for Secret ${ref.name} key ${ref.key}`);
            env[entry.name] = value;
        } else if (entry.valueFrom?.configMapKeyRef) {
            env[entry.name] = configMap(entry.valueFrom.configMapKeyRef.name).data[entry.valueFrom.configMapKeyRef.key];
        } else throw new Error(`unsupported env entry ${JSON.stringify(entry)}`);
    }
    return env;
}

/** The command line the kubelet starts: command + args with `$(VAR)` expanded. */
export function kubeletCommand(container: Container, env: Record<string, string>): string[] {
    return [...(container.command ?? []), ...(container.args ?? [])].map((part) => kubeletExpand(part, env));
}

/** The pod spec of a Deployment or Job. */
export const podSpecOf = (object: KubernetesObject): any => (object as any).spec.template.spec;
