/**
 * runAsNonRoot and runAsUser: the two checks where the pod level and the container
 * level both exist and interact.
 */
import { runsInUserNamespace } from "./user-namespace";
import { isUnset, show } from "./values";
import { containerFinding, podFinding, type Finding, type Workload } from "./workload";

/**
 * Effective runAsNonRoot must be true for every container, and no level may set it
 * to anything else: an explicit pod-level false fails even when every container sets
 * true, and a container's explicit false is not rescued by a pod-level true.
 */
export function checkRunAsNonRoot(workload: Workload): Finding[] {
    if (runsInUserNamespace(workload)) {
        return [];
    }
    const findings: Finding[] = [];
    const podValue = workload.podSecurityContext?.["runAsNonRoot"];
    if (!isUnset(podValue) && podValue !== true) {
        findings.push(
            podFinding(
                workload,
                "securityContext.runAsNonRoot",
                `is ${show(podValue)}; an explicit false at pod level fails even when containers set true: set it to true or remove it`,
            ),
        );
    }
    const podSaysNonRoot = podValue === true;
    for (const container of workload.containers) {
        const value = container.securityContext?.["runAsNonRoot"];
        if (!isUnset(value)) {
            if (value !== true) {
                findings.push(containerFinding(container, "securityContext.runAsNonRoot", `is ${show(value)}; set it to true`));
            }
        } else if (!podSaysNonRoot) {
            findings.push(
                containerFinding(
                    container,
                    "securityContext.runAsNonRoot",
                    `is unset and ${workload.podSpecPath}.securityContext.runAsNonRoot is not true; set either to true`,
                ),
            );
        }
    }
    return findings;
}

/** No level may set runAsUser 0, whatever the other level says. */
export function checkNoRunAsRootUser(workload: Workload): Finding[] {
    if (runsInUserNamespace(workload)) {
        return [];
    }
    const findings: Finding[] = [];
    if (workload.podSecurityContext?.["runAsUser"] === 0) {
        findings.push(
            podFinding(workload, "securityContext.runAsUser", "is 0 (root); set a non-zero UID (a pod-level 0 fails even when containers override it)"),
        );
    }
    for (const container of workload.containers) {
        if (container.securityContext?.["runAsUser"] === 0) {
            findings.push(containerFinding(container, "securityContext.runAsUser", "is 0 (root); set a non-zero UID"));
        }
    }
    return findings;
}
