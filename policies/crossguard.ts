/**
 * Thin CrossGuard adapters: turn a Pulumi resource into the same workload view the
 * offline checker uses, run the same rule, report each finding. Enforcement levels
 * (defaults and the policy-pack config) are applied by the Pulumi engine.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { policyCatalog, type PolicyDefinition } from "./catalog";
import { formatFinding } from "./evaluate";
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
    return workloadKindOf(apiVersion, tokenKind)
        ?? workloadKindOf(readQuietly(() => args.props["apiVersion"]), readQuietly(() => args.props["kind"]));
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

export function toResourcePolicy(policy: PolicyDefinition): ResourceValidationPolicy {
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
            for (const finding of policy.check(workload)) {
                reportViolation(formatFinding(workload, finding));
            }
        },
    };
}

export function crossGuardPolicies(): ResourceValidationPolicy[] {
    return policyCatalog.map(toResourcePolicy);
}
