/** Runs the catalog over an object and reduces the result to (policy, field) pairs. */
import { policyCatalog } from "../../../policies/catalog";
import { extractWorkload } from "../../../policies/rules/pod-spec";

export interface PolicyFinding {
    readonly policy: string;
    readonly field: string;
    readonly subject: string;
}

export function findingsOf(object: unknown): PolicyFinding[] {
    const workload = extractWorkload(object);
    if (workload === undefined) {
        throw new Error("not a workload");
    }
    return policyCatalog.flatMap((policy) =>
        policy.check(workload).map((finding) => ({ policy: policy.name, field: finding.field, subject: finding.subject })),
    );
}

/** "policy @ field" strings, sorted, for exact-set assertions with readable diffs. */
export function findingKeys(object: unknown): string[] {
    return findingsOf(object)
        .map((finding) => `${finding.policy} @ ${finding.field}`)
        .sort();
}
