/**
 * seLinuxOptions exist at both levels; each level that sets them is checked on its
 * own (there is no inheritance to rescue a bad value).
 */
import { isUnset, objectAt, show, stringAt, type PlainObject } from "./values";
import { containerFinding, podFinding, type Finding, type Workload } from "./workload";

/** Allowed types as of Kubernetes v1.31+ ("" means unset). */
export const allowedSelinuxTypes: ReadonlySet<string> = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

function problemsOf(options: PlainObject): string[] {
    const problems: string[] = [];
    const type = options["type"];
    if (!isUnset(type) && !allowedSelinuxTypes.has(stringAt(type) ?? "\0")) {
        problems.push(`type ${show(type)} is not one of container_t, container_init_t, container_kvm_t, container_engine_t`);
    }
    for (const key of ["user", "role"] as const) {
        const value = options[key];
        if (!isUnset(value) && value !== "") {
            problems.push(`${key} ${show(value)} may not be set`);
        }
    }
    return problems;
}

export function checkRestrictedSelinux(workload: Workload): Finding[] {
    const findings: Finding[] = [];
    const podOptions = objectAt(workload.podSecurityContext?.["seLinuxOptions"]);
    if (podOptions !== undefined) {
        for (const problem of problemsOf(podOptions)) {
            findings.push(podFinding(workload, "securityContext.seLinuxOptions", `${problem}; remove it`));
        }
    }
    for (const container of workload.containers) {
        const options = objectAt(container.securityContext?.["seLinuxOptions"]);
        if (options !== undefined) {
            for (const problem of problemsOf(options)) {
                findings.push(containerFinding(container, "securityContext.seLinuxOptions", `${problem}; remove it`));
            }
        }
    }
    return findings;
}
