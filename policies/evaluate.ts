/**
 * The offline entry point: runs every policy over plain Kubernetes objects. The
 * offline render and the policy:check CLI import this; the CrossGuard pack runs the
 * same catalog through its adapters.
 */
import { policyCatalog, type PolicyDefinition } from "./catalog";
import { exemptionFor, type NamespaceExemption } from "./exemptions";
import { defaultPolicyConfig, exemptionsOf, type PolicyConfig } from "./policy-config";
import { extractWorkload, type WorkloadIdentity } from "./rules/pod-spec";
import type { Finding, Workload } from "./rules/workload";

export { EXEMPTIONS_POLICY, describeExemption, exemptionFor, parseExemptions } from "./exemptions";
export type { NamespaceExemption } from "./exemptions";
export { defaultPolicyConfig, enforcementLevels, exemptionsOf, loadPolicyConfigFile, parsePolicyConfig, policyNames } from "./policy-config";
export type { EnforcementLevel, PolicyConfig } from "./policy-config";

export interface Violation {
    policy: string;
    enforcementLevel: "mandatory" | "advisory";
    kind: string;
    namespace?: string;
    name: string;
    message: string;
}

/** A finding in an exempted namespace: not a violation, reported with the exemption's reason. */
export interface ExemptedViolation extends Violation {
    readonly exemption: NamespaceExemption;
}

/** What the policies say about some objects: the violations, and the findings exemptions lift. */
export interface Evaluation {
    readonly violations: Violation[];
    readonly exempted: ExemptedViolation[];
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

/**
 * Runs one policy over one workload: nothing for a disabled policy; the findings of a policy
 * that an exemption lifts in the workload's namespace come back as exempted.
 */
export function evaluateWorkload(workload: Workload, policy: PolicyDefinition, config: PolicyConfig = defaultPolicyConfig): Evaluation {
    const level = config[policy.name] ?? policy.defaultLevel;
    if (level === "disabled") {
        return { violations: [], exempted: [] };
    }
    const violations = policy.check(workload).map((finding) => {
        const violation: Violation = {
            policy: policy.name,
            enforcementLevel: level,
            kind: workload.kind,
            name: workload.name,
            message: formatFinding(workload, finding),
        };
        if (workload.namespace !== undefined) {
            violation.namespace = workload.namespace;
        }
        return violation;
    });
    const exemption = violations.length > 0 ? exemptionFor(exemptionsOf(config), policy.name, workload.namespace) : undefined;
    return exemption === undefined ? { violations, exempted: [] } : { violations: [], exempted: violations.map((violation) => ({ ...violation, exemption })) };
}

/** Runs one policy over one workload; no findings for a disabled policy or an exempted namespace. */
export function checkWorkload(workload: Workload, policy: PolicyDefinition, config: PolicyConfig = defaultPolicyConfig): Violation[] {
    return evaluateWorkload(workload, policy, config).violations;
}

/** Runs every policy over one object; an object of any other kind yields nothing. */
export function evaluateObject(object: unknown, config: PolicyConfig = defaultPolicyConfig, identity?: WorkloadIdentity): Evaluation {
    const workload = extractWorkload(object, identity);
    const result: Evaluation = { violations: [], exempted: [] };
    if (workload === undefined) {
        return result;
    }
    for (const policy of policyCatalog) {
        const { violations, exempted } = evaluateWorkload(workload, policy, config);
        result.violations.push(...violations);
        result.exempted.push(...exempted);
    }
    return result;
}

export function evaluateObjects(objects: readonly unknown[], config: PolicyConfig = defaultPolicyConfig): Evaluation {
    const result: Evaluation = { violations: [], exempted: [] };
    for (const object of objects) {
        const { violations, exempted } = evaluateObject(object, config);
        result.violations.push(...violations);
        result.exempted.push(...exempted);
    }
    return result;
}

/** The violations of one object (exempted findings are not violations). */
export function checkObject(object: unknown, config: PolicyConfig = defaultPolicyConfig, identity?: WorkloadIdentity): Violation[] {
    return evaluateObject(object, config, identity).violations;
}

export function checkObjects(objects: readonly unknown[], config: PolicyConfig = defaultPolicyConfig): Violation[] {
    return evaluateObjects(objects, config).violations;
}
