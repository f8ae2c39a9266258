import type { Workload } from "./workload";

/**
 * Pods with `hostUsers: false` run in a user namespace, where UID 0 inside the pod maps
 * to an unprivileged host UID. Pod Security (v1.35+) therefore relaxes the runAsNonRoot
 * and runAsUser checks for them, and only for them.
 */
export function runsInUserNamespace(workload: Workload): boolean {
    return workload.podSpec["hostUsers"] === false;
}
