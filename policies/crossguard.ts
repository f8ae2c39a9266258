/**
 * Thin CrossGuard adapters: turn a Pulumi resource into the same workload view the
 * offline checker uses, run the same rule, report each finding. Enforcement levels
 * (defaults and the policy-pack config) are applied by the Pulumi engine; namespace
 * exemptions by the pack, through the same parser and matcher as the offline checker.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { policyCatalog, type PolicyDefinition } from "./catalog";
import { formatFinding } from "./evaluate";
import { EXEMPTIONS_POLICY, exemptionFor, exemptionsConfigSchema, parseExemptionSettings, type NamespaceExemption } from "./exemptions";
import { extractWorkloadOfKind, workloadKindOf, workloadKinds, type WorkloadIdentity, type WorkloadKind } from "./rules/pod-spec";
import { stringAt } from "./rules/values";
import type { Workload } from "./rules/workload";

/** `kubernetes:<group>/<version>:<Kind>`; the core group is spelled "core" in type tokens. */
const typeTokenPattern = /^kubernetes:([^:]+):([^:]+)$/;

/**
 * Reads a property that may be an unknown (computed) value during preview, where the
 * SDK's proxy throws on access. Identity fields must never stop a policy from running.
 */
function readQuietly(read: () => unknown): unknown {
    try {
        return read();
    } catch {
        return undefined;
    }
}

/**
 * The workload kind of a resource: from its type token for the SDK's typed classes
 * (every apps, extensions, batch and core version), else from the apiVersion and kind
 * its properties carry (generic objects). Patch resources are partial and never match.
 */
export function workloadKindOfResource(args: Pick<ResourceValidationArgs, "type" | "props">): WorkloadKind | undefined {
    const match = typeTokenPattern.exec(args.type);
    if (match === null) {
        return undefined;
    }
    const [, groupVersion = "", tokenKind = ""] = match;
    if (tokenKind.endsWith("Patch")) {
        return undefined;
    }
    const apiVersion = groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
    return (
        workloadKindOf(apiVersion, tokenKind) ??
        workloadKindOf(
            readQuietly(() => args.props["apiVersion"]),
            readQuietly(() => args.props["kind"]),
        )
    );
}

/** Name and namespace from metadata; the Pulumi resource name when the name is auto-assigned or computed. */
function identityOfResource(args: Pick<ResourceValidationArgs, "props" | "name">): WorkloadIdentity {
    const metadata = readQuietly(() => args.props["metadata"]);
    const field = (key: string) => stringAt(readQuietly(() => (metadata as Record<string, unknown> | undefined)?.[key]));
    return { name: field("name") ?? args.name, namespace: field("namespace") || undefined };
}

export function workloadOfResource(args: Pick<ResourceValidationArgs, "type" | "props" | "name">): Workload | undefined {
    const kind = workloadKindOfResource(args);
    return kind === undefined ? undefined : extractWorkloadOfKind(kind, args.props, identityOfResource(args));
}

/**
 * The exemptions the pack applies. The Pulumi engine hands each policy only its own config, so
 * the "namespace-exemptions" policy reads them and keeps them here for the others: the policy
 * SDK runs a pack's policies one after another, in the pack's order, for every resource
 * (@pulumi/policy server.js, makeAnalyzeRpcFun), and that policy comes first. Until it has run
 * (or when it is disabled) the list is empty, so nothing is exempted: the pack fails closed.
 */
export class PackExemptions {
    private current: readonly NamespaceExemption[] = [];

    /** Parses the exemption policy's config; a bad config throws, naming the entry. */
    read(config: unknown): void {
        this.current = parseExemptionSettings(config);
    }

    get list(): readonly NamespaceExemption[] {
        return this.current;
    }
}

export const exemptionsPolicyDescription =
    "Checks nothing itself: its config carries the namespace exemptions the pack's other policies apply, " +
    '{"exemptions": [{"namespace": ..., "policies"?: [...], "reason": ...}]} (docs/policies.md, "Exemptions"). ' +
    "Keep it enabled: when it is disabled no exemption applies.";

export function exemptionsPolicy(exemptions: PackExemptions): ResourceValidationPolicy {
    return {
        name: EXEMPTIONS_POLICY,
        description: exemptionsPolicyDescription,
        enforcementLevel: "advisory",
        configSchema: exemptionsConfigSchema,
        validateResource: (args) => {
            exemptions.read(args.getConfig());
            args.notApplicable(`${EXEMPTIONS_POLICY} checks nothing itself; it carries the namespace exemptions of the pack's other policies`);
        },
    };
}

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? "" : "s"}`;

export function toResourcePolicy(policy: PolicyDefinition, exemptions?: PackExemptions): ResourceValidationPolicy {
    return {
        name: policy.name,
        description: policy.description,
        enforcementLevel: policy.defaultLevel,
        validateResource: (args, reportViolation) => {
            const workload = workloadOfResource(args);
            if (workload === undefined) {
                args.notApplicable(`${policy.name} applies only to Kubernetes workloads (${workloadKinds.join(", ")})`);
                return;
            }
            const findings = policy.check(workload);
            const exemption = findings.length > 0 ? exemptionFor(exemptions?.list ?? [], policy.name, workload.namespace) : undefined;
            if (exemption !== undefined) {
                // Not a violation: the engine records the policy as not applicable here, with the reason.
                args.notApplicable(`exempt in namespace "${exemption.namespace}" (${plural(findings.length, "finding")} not reported): ${exemption.reason}`);
                return;
            }
            for (const finding of findings) {
                reportViolation(formatFinding(workload, finding));
            }
        },
    };
}

/** The pack's policies: the exemption carrier first, then every rule of the catalog. */
export function crossGuardPolicies(): ResourceValidationPolicy[] {
    const exemptions = new PackExemptions();
    return [exemptionsPolicy(exemptions), ...policyCatalog.map((policy) => toResourcePolicy(policy, exemptions))];
}
