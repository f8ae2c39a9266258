/**
 * The CrossGuard policy-config file format, resolved into one enforcement level per
 * policy: `{"all": "mandatory"}`, `{"<policy>": "advisory"}` or
 * `{"<policy>": {"enforcementLevel": "disabled"}}`. A named policy beats "all". The
 * namespace exemptions are the settings of the pack's "namespace-exemptions" policy
 * (exemptions.ts says why there); they ride along under a symbol key, so code that walks
 * the levels never meets them.
 */
import { readFileSync } from "node:fs";
import { policyCatalog } from "./catalog";
import { EXEMPTIONS_POLICY, parseExemptionSettings, type NamespaceExemption } from "./exemptions";
import { isPlainObject } from "./rules/values";

export type EnforcementLevel = "mandatory" | "advisory" | "disabled";

export const enforcementLevels: readonly EnforcementLevel[] = ["mandatory", "advisory", "disabled"];

/** Where a resolved config keeps its namespace exemptions. */
export const exemptionsKey: unique symbol = Symbol("namespace exemptions");

/** The resolved enforcement level of every policy of the pack, and the namespace exemptions. */
export interface PolicyConfig {
    readonly [policy: string]: EnforcementLevel;
    readonly [exemptionsKey]?: readonly NamespaceExemption[];
}

/** The namespace exemptions of a resolved config (none for the defaults). */
export function exemptionsOf(config: PolicyConfig): readonly NamespaceExemption[] {
    return config[exemptionsKey] ?? [];
}

export const policyNames: readonly string[] = policyCatalog.map((policy) => policy.name);

export const defaultPolicyConfig: PolicyConfig = Object.freeze(Object.fromEntries(policyCatalog.map((policy) => [policy.name, policy.defaultLevel])));

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

/**
 * The level of the exemption policy: its own, else "all", else advisory (its default in the
 * pack). The engine skips a disabled policy, and then the pack never reads the exemptions.
 */
function exemptionsLevel(raw: Record<string, unknown>, allLevel: EnforcementLevel | undefined): EnforcementLevel {
    const value = raw[EXEMPTIONS_POLICY];
    const own =
        typeof value === "string"
            ? levelOf(EXEMPTIONS_POLICY, value)
            : isPlainObject(value) && value["enforcementLevel"] !== undefined
              ? levelOf(EXEMPTIONS_POLICY, value["enforcementLevel"])
              : undefined;
    return own ?? allLevel ?? "advisory";
}

export function parsePolicyConfig(raw: unknown): PolicyConfig {
    if (!isPlainObject(raw)) {
        throw new Error(`policy config must be a JSON object whose keys are "all", policy names (${policyNames.join(", ")}) or "${EXEMPTIONS_POLICY}"`);
    }
    for (const key of Object.keys(raw)) {
        if (key !== allKey && key !== EXEMPTIONS_POLICY && !policyNames.includes(key)) {
            throw new Error(`policy config "${key}": unknown policy; allowed keys are "all", ${policyNames.join(", ")}, "${EXEMPTIONS_POLICY}"`);
        }
    }
    const resolved: Record<string, EnforcementLevel> = { ...defaultPolicyConfig };
    const allLevel = allKey in raw ? levelOf(allKey, raw[allKey]) : undefined;
    for (const name of policyNames) {
        const own = name in raw ? levelOf(name, raw[name]) : undefined;
        resolved[name] = own ?? allLevel ?? resolved[name]!;
    }
    const settings = raw[EXEMPTIONS_POLICY];
    const level = exemptionsLevel(raw, allLevel);
    const exemptions = typeof settings === "string" ? [] : parseExemptionSettings(settings);
    if (exemptions.length === 0) {
        return Object.freeze(resolved);
    }
    if (level === "disabled") {
        throw new Error(
            `policy config "${EXEMPTIONS_POLICY}": the policy that carries the exemptions is disabled, so the pack would never read them; set its "enforcementLevel" to "advisory"`,
        );
    }
    return Object.freeze({ ...resolved, [exemptionsKey]: exemptions });
}

/** Reads and resolves a policy-config JSON file; errors name the file and the problem. */
export function loadPolicyConfigFile(path: string): PolicyConfig {
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (error) {
        throw new Error(`cannot read policy config ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (error) {
        throw new Error(`policy config ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    try {
        return parsePolicyConfig(raw);
    } catch (error) {
        throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
    }
}
