/** Scheduling hygiene: every container states what it needs and caps its memory. */
import { isUnset, objectAt } from "./values";
import { containerFinding, type Finding, type Workload } from "./workload";

/**
 * CPU and memory requests plus a memory limit. A limit without a request counts as the
 * request, because the API server defaults the request to the limit. Ephemeral
 * containers are skipped: the API does not let them set resources.
 */
export function checkResourceRequestsAndLimits(workload: Workload): Finding[] {
    const findings: Finding[] = [];
    for (const container of workload.containers) {
        if (container.position === "ephemeralContainers") {
            continue;
        }
        const resources = objectAt(container.spec["resources"]);
        const requests = objectAt(resources?.["requests"]);
        const limits = objectAt(resources?.["limits"]);
        for (const resource of ["cpu", "memory"] as const) {
            if (isUnset(requests?.[resource]) && isUnset(limits?.[resource])) {
                findings.push(containerFinding(container, `resources.requests.${resource}`, "is unset; set a request"));
            }
        }
        if (isUnset(limits?.["memory"])) {
            findings.push(containerFinding(container, "resources.limits.memory", "is unset; set a memory limit"));
        }
    }
    return findings;
}
