/**
 * The stacks with what their `cluster.target` resolves to, for `npm run -s stacks -- --json`
 * (tools/stacks.ts). It reads each stack file through the config schema, which loads the Pulumi
 * SDK: the plain listing does without it.
 */
import { parseStackConfig } from "../../components/config";
import { unwrap, schemaAtPath } from "../../components/config/introspect";
import { stackConfigSchema } from "../../components/config/schema";
import { knownStacks, loadStackFiles } from "../render/stack-files";

export interface StackEntry {
    stack: string;
    clusterTarget: string;
}

/** The stack's resolved `cluster.target`; for a stack file that does not validate, what it says or the default. */
export function clusterTarget(projectDir: string, stack: string): string {
    const files = loadStackFiles(projectDir, stack);
    try {
        return parseStackConfig(files.config, new Set(files.secretKeys)).cluster.target;
    } catch {
        const raw = files.config["agent-platform:cluster"];
        const stated = raw === undefined ? undefined : (JSON.parse(raw) as { target?: unknown }).target;
        return typeof stated === "string" ? stated : String(unwrap(schemaAtPath(stackConfigSchema, ["cluster", "target"])!).defaultValue);
    }
}

export function stackEntries(projectDir: string): StackEntry[] {
    return knownStacks(projectDir).map((stack) => ({ stack, clusterTarget: clusterTarget(projectDir, stack) }));
}
