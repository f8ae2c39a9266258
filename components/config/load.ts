/**
 * The one reader of stack configuration.
 *
 * `loadStackConfig()` takes every `agent-platform:*` key the engine passed in, validates the
 * whole set against `stackConfigSchema` and either returns a fully defaulted, typed config or
 * throws one `ConfigError` listing every problem. It runs before any resource is registered.
 * Keys of other namespaces (`kubernetes:*`, `azure-native:*`, `pulumi:*`) belong to their
 * providers and are not looked at.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { describeAllowed, objectKeys, schemaAtPath, sensitivePathsIn, unwrap } from "./introspect";
import { isWaived, relaxedSchema } from "./disabled";
import { keyPath as formatKeyPath } from "../core/problems";
import { StackConfig, stackConfigSchema } from "./schema";

/** The project name, and so the namespace of our config keys. */
export const CONFIG_NAMESPACE = "agent-platform";

/**
 * A configuration problem the user must fix. A `RunError`, so `pulumi up` prints the message
 * without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` + problems.map((p) => `  - ${p}`).join("\n"));
        this.name = "ConfigError";
    }
}

/** `agent-platform:<key path>`, as a problem names its key. */
function keyPath(path: readonly PropertyKey[]): string {
    return `${CONFIG_NAMESPACE}:${formatKeyPath(path)}`;
}

function describeReceived(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    return typeof value === "object" ? "an object" : typeof value;
}

/**
 * YAML reads an unquoted `1.10` as the number 1.1 and `true` as a boolean: where a string
 * belongs, say to quote it, with the key as the stack file spells it (never echoing a sensitive value).
 */
function quoteHint(path: readonly PropertyKey[], input: number | boolean, schema: z.core.$ZodType | undefined): string {
    const key = String(path[path.length - 1] ?? "value");
    const sensitive = schema !== undefined && unwrap(schema).meta.sensitive === true;
    const shown = sensitive ? "..." : String(input);
    const lost = typeof input === "number" && !sensitive ? ` (unquoted, YAML reads 1.10 as the number 1.1)` : "";
    return `${sensitive ? "" : ` ${shown}`}: quote it in the stack file, e.g. ${key}: "${shown}"${lost}`;
}

/** Turns one zod issue into `agent-platform:<path>: <what is wrong> (allowed: ...)`. */
function formatIssue(issue: z.core.$ZodIssue, root: typeof stackConfigSchema): string[] {
    const at = schemaAtPath(root, issue.path);
    const allowed = at ? ` (allowed: ${describeAllowed(at)})` : "";
    switch (issue.code) {
        case "unrecognized_keys": {
            const known = objectKeys(schemaAtPath(root, issue.path) ?? root);
            return issue.keys.map((key) => `${keyPath([...issue.path, key])}: unknown key (allowed: ${known.join(", ")})`);
        }
        case "invalid_type":
            if (issue.input === undefined) return [`${keyPath(issue.path)}: is required${allowed}`];
            if (issue.expected === "string" && (typeof issue.input === "number" || typeof issue.input === "boolean")) {
                return [`${keyPath(issue.path)}: expected string, got ${describeReceived(issue.input)}${quoteHint(issue.path, issue.input, at)}${allowed}`];
            }
            return [`${keyPath(issue.path)}: expected ${issue.expected}, got ${describeReceived(issue.input)}${allowed}`];
        case "invalid_value":
            // Enum values are never sensitive, so echoing the input helps spot the typo.
            return [`${keyPath(issue.path)}: '${String(issue.input)}' is not allowed${allowed}`];
        case "invalid_union":
            if ("discriminator" in issue && issue.discriminator) {
                const options = (issue as { options?: unknown[] }).options ?? [];
                return [`${keyPath(issue.path)}: is not allowed (allowed: ${options.map(String).join(", ")})`];
            }
            return [`${keyPath(issue.path)}: does not match any allowed form${allowed}`];
        case "too_small":
        case "too_big":
            if (issue.origin === "number" || issue.origin === "int") return [`${keyPath(issue.path)}: is out of range${allowed}`];
            return [`${keyPath(issue.path)}: ${issue.message}${allowed}`];
        case "custom":
            // Cross-field rules word their own message, allowed values included.
            return [`${keyPath(issue.path)}: ${issue.message}`];
        default:
            return [`${keyPath(issue.path)}: ${issue.message}${allowed}`];
    }
}

/** Parses one raw engine value: object blocks arrive as JSON text. */
function parseRawValue(key: string, raw: string, problems: string[]): unknown {
    try {
        return JSON.parse(raw);
    } catch {
        problems.push(`${CONFIG_NAMESPACE}:${key}: must be an object (set it as a YAML map in Pulumi.<stack>.yaml or with \`pulumi config set --path\`)`);
        return undefined;
    }
}

/**
 * Validates raw engine config (`{"agent-platform:key": "<json or text>"}`) and applies all
 * defaults. `secretKeys` names the keys the engine marked secret: a sensitive field under a
 * key that is not secret was stored in plain text, which is an error.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string>): StackConfig {
    const problems: string[] = [];
    const values: Record<string, unknown> = {};
    const prefix = `${CONFIG_NAMESPACE}:`;
    for (const [fullKey, rawValue] of Object.entries(raw)) {
        if (!fullKey.startsWith(prefix)) continue;
        const key = fullKey.slice(prefix.length);
        const blockSchema = stackConfigSchema.shape[key as keyof typeof stackConfigSchema.shape];
        if (!blockSchema) {
            values[key] = rawValue; // reported below as an unknown key
            continue;
        }
        const value = parseRawValue(key, rawValue, problems);
        if (value === undefined) continue;
        values[key] = value;
        if (!secretKeys.has(fullKey)) {
            for (const path of sensitivePathsIn(blockSchema, value, `${prefix}${key}`)) {
                problems.push(
                    `${path}: is sensitive and stored in plain text (allowed: a secret, set with \`pulumi config set --secret --path ${path.slice(prefix.length)} <value>\`)`,
                );
            }
        }
    }
    const result = stackConfigSchema.safeParse(values, { reportInput: true });
    if (result.success) {
        if (problems.length > 0) throw new ConfigError(problems);
        return result.data;
    }
    // Only what a block that is off would need when on: the config stands; take its value
    // from the same schema without those demands.
    const issues = result.error.issues.filter((issue) => !isWaived(issue, values, stackConfigSchema));
    problems.push(...issues.flatMap((issue) => formatIssue(issue, stackConfigSchema)));
    if (problems.length > 0) throw new ConfigError(problems);
    const relaxed = relaxedSchema(stackConfigSchema).safeParse(values, { reportInput: true });
    if (!relaxed.success) throw new ConfigError(relaxed.error.issues.flatMap((issue) => formatIssue(issue, stackConfigSchema)));
    return relaxed.data as StackConfig;
}

/** The SDK knows which keys are secret but does not type that API; fall back to the engine's env. */
function secretConfigKeys(all: Record<string, string>): Set<string> {
    const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
    if (isConfigSecret) return new Set(Object.keys(all).filter((key) => isConfigSecret(key)));
    return new Set<string>(JSON.parse(process.env["PULUMI_CONFIG_SECRET_KEYS"] ?? "[]"));
}

/** Reads and validates the stack's configuration. Call it before creating any resource. */
export function loadStackConfig(): StackConfig {
    const all = pulumi.runtime.allConfig();
    return parseStackConfig(all, secretConfigKeys(all));
}
