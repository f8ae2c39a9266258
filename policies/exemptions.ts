/**
 * Namespace exemptions: the ONE parser and matcher the CrossGuard pack and the offline checker
 * share. An exemption names a namespace, optionally the policies it is limited to, and the
 * reason. The idea comes from Pod Security Admission's `exemptions.namespaces` (its
 * AdmissionConfiguration; kubernetes.io/docs/concepts/security/pod-security-admission,
 * "Exemptions") and Kyverno's PolicyException, which names the policies it lifts
 * (`spec.exceptions[].policyName`; kyverno.io/docs/exceptions). Neither has a reason field;
 * here the reason is required, and the checker prints it next to each finding it excuses.
 *
 * Where it lives in the policy config: the CrossGuard config file is keyed by policy name, and
 * the Pulumi CLI forwards a key's settings only to the policy of that name (pkg/resource/analyzer
 * config.go: a key without an enforcement level fails `Configure`, so a free top-level key does
 * not work; newer CLIs reserve a top-level "exceptions" key of their own). So the exemptions are
 * the settings of a policy of the pack that checks nothing itself: "namespace-exemptions".
 */
import { policyCatalog } from "./catalog";
import { isPlainObject } from "./rules/values";

/** The pack's policy whose config holds the exemptions; it reports nothing itself. */
export const EXEMPTIONS_POLICY = "namespace-exemptions";

export interface NamespaceExemption {
    /** Exact namespace name (no patterns, as in Pod Security Admission). */
    readonly namespace: string;
    /** The policies it lifts; absent means every policy of the pack. */
    readonly policies?: readonly string[];
    /** Why the namespace is exempt: printed with every finding it excuses. */
    readonly reason: string;
}

const rulePolicyNames: readonly string[] = policyCatalog.map((policy) => policy.name);

/** A DNS-1123 label, as the API server requires of a namespace name. */
const namespacePattern = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
const namespaceRegExp = new RegExp(namespacePattern);
const entryKeys = ["namespace", "policies", "reason"];

/**
 * The JSON schema of the exemption policy's config, which the Pulumi engine checks before the
 * pack runs (so a bad file fails `pulumi preview` up front); parseExemptions checks the same
 * and more (duplicates), with messages that name the entry.
 */
export const exemptionsConfigSchema = {
    properties: {
        exemptions: {
            type: "array" as const,
            description: "Namespaces whose workloads the pack's policies skip: {namespace, policies?, reason}.",
            items: {
                type: "object" as const,
                additionalProperties: false,
                required: ["namespace", "reason"],
                properties: {
                    namespace: { type: "string" as const, pattern: namespacePattern, description: "Exact namespace name." },
                    policies: {
                        type: "array" as const,
                        minItems: 1,
                        uniqueItems: true,
                        items: { type: "string" as const, enum: [...rulePolicyNames] },
                        description: "The policies lifted; omit for every policy.",
                    },
                    reason: { type: "string" as const, pattern: "\\S", description: "Why the namespace is exempt." },
                },
            },
        },
    },
};

function describeEntry(index: number, entry: unknown): string {
    const namespace = isPlainObject(entry) && typeof entry["namespace"] === "string" && entry["namespace"] !== "" ? ` (namespace "${entry["namespace"]}")` : "";
    return `exemptions[${index}]${namespace}`;
}

function parseEntry(index: number, entry: unknown, where: string): NamespaceExemption {
    const at = `${where}: ${describeEntry(index, entry)}`;
    if (!isPlainObject(entry)) {
        throw new Error(`${at} must be an object {"namespace": ..., "reason": ..., "policies"?: [...]}`);
    }
    const extra = Object.keys(entry).filter((key) => !entryKeys.includes(key));
    if (extra.length > 0) {
        throw new Error(`${at}: unknown setting "${extra[0]}"; an exemption has "namespace", "reason" and optionally "policies"`);
    }
    const namespace = entry["namespace"];
    if (typeof namespace !== "string" || namespace === "") {
        throw new Error(`${at}: "namespace" must be a non-empty namespace name`);
    }
    if (!namespaceRegExp.test(namespace)) {
        throw new Error(`${at}: "namespace" ${JSON.stringify(namespace)} is not a namespace name (lowercase letters, digits and '-', at most 63, no patterns)`);
    }
    const reason = entry["reason"];
    if (typeof reason !== "string" || reason.trim() === "") {
        throw new Error(`${at}: "reason" is required: say why the namespace is exempt`);
    }
    const exemption: { namespace: string; reason: string; policies?: readonly string[] } = { namespace, reason: reason.trim() };
    if (entry["policies"] !== undefined) {
        const policies = entry["policies"];
        if (!Array.isArray(policies) || policies.length === 0) {
            throw new Error(`${at}: "policies" must be a non-empty list of policy names (omit it to exempt every policy)`);
        }
        for (const policy of policies) {
            if (typeof policy !== "string" || !rulePolicyNames.includes(policy)) {
                throw new Error(`${at}: "policies" names ${JSON.stringify(policy)}, which is not a policy of the pack; allowed: ${rulePolicyNames.join(", ")}`);
            }
        }
        const repeated = policies.find((policy, position) => policies.indexOf(policy) !== position);
        if (repeated !== undefined) {
            throw new Error(`${at}: "policies" lists "${repeated}" twice`);
        }
        exemption.policies = Object.freeze([...policies] as string[]);
    }
    return Object.freeze(exemption);
}

/** Parses the `exemptions` list; every error names the entry (index and namespace). */
export function parseExemptions(raw: unknown, where = `policy config "${EXEMPTIONS_POLICY}"`): readonly NamespaceExemption[] {
    if (raw === undefined) {
        return Object.freeze([]);
    }
    if (!Array.isArray(raw)) {
        throw new Error(`${where}: "exemptions" must be a list of {"namespace", "reason", "policies"?} entries`);
    }
    const exemptions = raw.map((entry, index) => parseEntry(index, entry, where));
    // Two entries that lift the same policy in the same namespace would leave the reason ambiguous.
    exemptions.forEach((exemption, index) => {
        const earlier = exemptions.findIndex(
            (other, position) => position < index && other.namespace === exemption.namespace && overlap(other, exemption) !== undefined,
        );
        if (earlier >= 0) {
            const policy = overlap(exemptions[earlier]!, exemption);
            throw new Error(
                `${where}: ${describeEntry(index, raw[index])} exempts ${policy === "*" ? "every policy" : `"${policy}"`} in namespace "${exemption.namespace}" again (already exemptions[${earlier}]); keep one entry with one reason`,
            );
        }
    });
    return Object.freeze(exemptions);
}

/** A policy both entries lift ("*" when both lift every policy), or undefined. */
function overlap(a: NamespaceExemption, b: NamespaceExemption): string | undefined {
    if (a.policies === undefined && b.policies === undefined) return "*";
    if (a.policies === undefined) return b.policies![0];
    if (b.policies === undefined) return a.policies[0];
    return a.policies.find((policy) => b.policies!.includes(policy));
}

/**
 * The settings of the exemption policy, as the config file holds them
 * (`{"enforcementLevel"?: ..., "exemptions": [...]}`) or as the engine hands them to the pack
 * (`getConfig()`, without the level). The level itself is read by policy-config.ts.
 */
export function parseExemptionSettings(raw: unknown, where = `policy config "${EXEMPTIONS_POLICY}"`): readonly NamespaceExemption[] {
    if (raw === undefined || raw === null) {
        return Object.freeze([]);
    }
    if (!isPlainObject(raw)) {
        throw new Error(`${where} must be an object {"exemptions": [...]} (optionally with "enforcementLevel")`);
    }
    const extra = Object.keys(raw).filter((key) => key !== "exemptions" && key !== "enforcementLevel");
    if (extra.length > 0) {
        throw new Error(`${where}: unknown setting "${extra[0]}"; the settings are "exemptions" and "enforcementLevel"`);
    }
    return parseExemptions(raw["exemptions"], where);
}

/** The exemption that lifts `policy` for a workload in `namespace`, if any. */
export function exemptionFor(exemptions: readonly NamespaceExemption[], policy: string, namespace: string | undefined): NamespaceExemption | undefined {
    if (namespace === undefined) {
        return undefined;
    }
    return exemptions.find((exemption) => exemption.namespace === namespace && (exemption.policies === undefined || exemption.policies.includes(policy)));
}

/** `namespace "x", every policy` or `namespace "x", health-probes and pinned-image`. */
export function describeExemption(exemption: NamespaceExemption): string {
    const scope = exemption.policies === undefined ? "every policy" : exemption.policies.join(", ");
    return `namespace "${exemption.namespace}" (${scope}): ${exemption.reason}`;
}
