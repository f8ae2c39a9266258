/** Health probes for containers that are meant to keep running. */
import { isUnset, objectAt } from "./values";
import { containerFinding, type ContainerRef, type Finding, type Workload } from "./workload";

/**
 * Long-running containers: the regular containers of a long-running pod, and sidecars
 * (init containers with restartPolicy: Always). Jobs run to completion and ephemeral
 * containers cannot have probes, so neither is checked.
 */
function isLongRunningContainer(workload: Workload, container: ContainerRef): boolean {
    if (!workload.isLongRunning) {
        return false;
    }
    if (container.position === "containers") {
        return true;
    }
    return container.position === "initContainers" && container.spec["restartPolicy"] === "Always";
}

export function checkHealthProbes(workload: Workload): Finding[] {
    const findings: Finding[] = [];
    for (const container of workload.containers) {
        if (!isLongRunningContainer(workload, container)) {
            continue;
        }
        for (const probe of ["readinessProbe", "livenessProbe"] as const) {
            if (isUnset(objectAt(container.spec[probe]))) {
                findings.push(
                    containerFinding(container, probe, "is unset; add one so Kubernetes routes traffic only to healthy pods and restarts stuck ones"),
                );
            }
        }
    }
    return findings;
}
