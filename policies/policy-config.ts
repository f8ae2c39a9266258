/**
 * The CrossGuard policy-config file format, resolved into one enforcement level per
 * policy: `{"all": "mandatory"}`, `{"<policy>": "advisory"}` or
 * `{"<policy>": {"enforcementLevel": "disabled"}}`. A named policy beats "all".
 */
import { readFileSync } from "node:fs";
import { policyCatalog } from "./catalog";
import { isPlainObject } from "./rules/values";

export type EnforcementLevel = "mandatory" | "advisory" | "disabled";

export const enforcementLevels: readonly EnforcementLevel[] = ["mandatory", "advisory", "disabled"];

/** The resolved enforcement level of every policy of the pack. */
export interface PolicyConfig {
    readonly [policy: string]: EnforcementLevel;
}

export const policyNames: readonly string[] = policyCatalog.map((policy) => policy.name);

export const defaultPolicyConfig: PolicyConfig = Object.freeze(
    Object.fromEntries(policyCatalog.map((policy) => [policy.name, policy.defaultLevel])),
);

const allKey = "all";

function levelOf(key: string, value: unknown): EnforcementLevel | undefined {
    let level: unknown = value;
    if (isPlainObject(value)) {
        const extraKeys = Object.keys(value).filter((name) => name !== "enforcementLevel");
        if (extraKeys.length > 0) {
            throw new Error(`policy config "${key}": unknown setting "${extraKeys[0]}"; the only setting is "enforcementLevel"`);
        }
        if (value["enforcementLevel"] === undefined) {
            return undefined;
        }
        level = value["enforcementLevel"];
    }
    if (typeof level !== "string" || !(enforcementLevels as readonly string[]).includes(level)) {
        throw new Error(`policy config "${key}": enforcement level ${JSON.stringify(level) ?? String(level)} is not one of ${enforcementLevels.join(", ")}`);
    }
    return level as EnforcementLevel;
}

export function parsePolicyConfig(raw: unknown): PolicyConfig {
    if (!isPlainObject(raw)) {
        throw new Error(`policy config must be a JSON object whose keys are "all" or policy names (${policyNames.join(", ")})`);
    }
    for (const key of Object.keys(raw)) {
        if (key !== allKey && !policyNames.includes(key)) {
            throw new Error(`policy config "${key}": unknown policy; allowed keys are "all", ${policyNames.join(", ")}`);
        }
    }
    const resolved: Record<string, EnforcementLevel> = { ...defaultPolicyConfig };
    const allLevel = allKey in raw ? levelOf(allKey, raw[allKey]) : undefined;
    for (const name of policyNames) {
        const own = name in raw ? levelOf(name, raw[name]) : undefined;
        resolved[name] = own ?? allLevel ?? resolved[name]!;
    }
    return Object.freeze(resolved);
}

/** Reads and resolves a policy-config JSON file; errors name the file and the problem. */
export function loadPolicyConfigFile(path: string): PolicyConfig {
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (error) {
        throw new Error(`cannot read policy config ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (error) {
        throw new Error(`policy config ${path} is not valid JSON: ${(error as Error).message}`);
    }
    try {
        return parsePolicyConfig(raw);
    } catch (error) {
        throw new Error(`${path}: ${(error as Error).message}`);
    }
}
