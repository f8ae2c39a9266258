/**
 * Linux capabilities exist only on containers. Windows pods are exempt from both
 * checks (v1.25+): the API rejects capabilities for them.
 */
import { arrayAt, objectAt, show } from "./values";
import { containerFinding, type Finding, type Workload } from "./workload";

const dropAll = "ALL";
const onlyAllowedAdd = "NET_BIND_SERVICE";

/** drop must contain exactly "ALL" (case-sensitive); listing every capability one by one does not count. */
export function checkDropAllCapabilities(workload: Workload): Finding[] {
    if (workload.isWindows) {
        return [];
    }
    const findings: Finding[] = [];
    for (const container of workload.containers) {
        const drop = objectAt(container.securityContext?.["capabilities"])?.["drop"];
        if (!arrayAt(drop).includes(dropAll)) {
            findings.push(containerFinding(container, "securityContext.capabilities.drop", `is ${show(drop)}; it must contain "ALL" (exactly, upper case)`));
        }
    }
    return findings;
}

/** add may be empty or hold only NET_BIND_SERVICE. */
export function checkRestrictedCapabilities(workload: Workload): Finding[] {
    if (workload.isWindows) {
        return [];
    }
    const findings: Finding[] = [];
    for (const container of workload.containers) {
        const added = arrayAt(objectAt(container.securityContext?.["capabilities"])?.["add"]);
        const forbidden = added.filter((capability) => capability !== onlyAllowedAdd);
        if (forbidden.length > 0) {
            findings.push(
                containerFinding(container, "securityContext.capabilities.add", `adds ${forbidden.map(show).join(", ")}; only "NET_BIND_SERVICE" may be added`),
            );
        }
    }
    return findings;
}
