/**
 * Stack config for tests: the smallest valid configuration (a kubeconfig path, the runtime's
 * credentials from an existing Secret) with a test's blocks laid over it, in the engine's raw
 * form or parsed.
 */
import { ConfigError, parseStackConfig, StackConfig } from "../../components/config";

export const MINIMAL_BLOCKS: Record<string, Record<string, unknown>> = {
    cluster: { kubeconfigPath: "/etc/kubeconfig" },
    agentRuntime: { secrets: { mode: "existing", existingSecret: { name: "runtime-secrets" } } },
};

/** Engine-style raw config: `cluster` is replaced whole, other blocks are laid over the minimal ones. */
export function rawConfig(blocks: Record<string, unknown>, base = MINIMAL_BLOCKS): Record<string, string> {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(blocks)) {
        const under = base[key];
        merged[key] = key !== "cluster" && under && value && typeof value === "object" && !Array.isArray(value) ? { ...under, ...value } : value;
    }
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(merged)) raw[`agent-platform:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    return raw;
}

export function testConfig(blocks: Record<string, unknown> = {}, secretKeys: string[] = []): StackConfig {
    return parseStackConfig(rawConfig(blocks), new Set(secretKeys));
}

/** The problems of a config that must fail. */
export function configProblems(blocks: Record<string, unknown>, secretKeys: string[] = []): readonly string[] {
    try {
        testConfig(blocks, secretKeys);
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return err.problems;
    }
    throw new Error("expected a ConfigError");
}
