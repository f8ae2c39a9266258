/**
 * The offline entry point: runs every policy over plain Kubernetes objects. The
 * offline render and the policy:check CLI import this; the CrossGuard pack runs the
 * same catalog through its adapters.
 */
import { policyCatalog, type PolicyDefinition } from "./catalog";
import { defaultPolicyConfig, type PolicyConfig } from "./policy-config";
import { extractWorkload, type WorkloadIdentity } from "./rules/pod-spec";
import type { Finding, Workload } from "./rules/workload";

export { defaultPolicyConfig, enforcementLevels, loadPolicyConfigFile, parsePolicyConfig, policyNames } from "./policy-config";
export type { EnforcementLevel, PolicyConfig } from "./policy-config";

export interface Violation {
    policy: string;
    enforcementLevel: "mandatory" | "advisory";
    kind: string;
    namespace?: string;
    name: string;
    message: string;
}

/** `Deployment "prod/api"`, or `Deployment "api"` when the namespace is unset. */
export function describeWorkload(workload: Workload): string {
    const ref = workload.namespace === undefined ? workload.name : `${workload.namespace}/${workload.name}`;
    return `${workload.kind} "${ref}"`;
}

/** The message of a finding: kind, object, subject (container, pod, volume), field, problem. */
export function formatFinding(workload: Workload, finding: Finding): string {
    return `${describeWorkload(workload)}, ${finding.subject}: ${finding.field} ${finding.problem}`;
}

/** Runs one policy over one workload; no findings for a disabled policy. */
export function checkWorkload(workload: Workload, policy: PolicyDefinition, config: PolicyConfig = defaultPolicyConfig): Violation[] {
    const level = config[policy.name] ?? policy.defaultLevel;
    if (level === "disabled") {
        return [];
    }
    return policy.check(workload).map((finding) => {
        const violation: Violation = { policy: policy.name, enforcementLevel: level, kind: workload.kind, name: workload.name, message: formatFinding(workload, finding) };
        if (workload.namespace !== undefined) {
            violation.namespace = workload.namespace;
        }
        return violation;
    });
}

/** Runs every policy over one object; an object of any other kind yields nothing. */
export function checkObject(object: unknown, config: PolicyConfig = defaultPolicyConfig, identity?: WorkloadIdentity): Violation[] {
    const workload = extractWorkload(object, identity);
    if (workload === undefined) {
        return [];
    }
    return policyCatalog.flatMap((policy) => checkWorkload(workload, policy, config));
}

export function checkObjects(objects: readonly unknown[], config: PolicyConfig = defaultPolicyConfig): Violation[] {
    return objects.flatMap((object) => checkObject(object, config));
}
