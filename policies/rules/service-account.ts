/** The API token is mounted into every pod unless the pod says otherwise. */
import { show } from "./values";
import { podFinding, type Finding, type Workload } from "./workload";

/**
 * Passes when the pod states a choice: false, or true as an explicit opt-in for
 * workloads that talk to the API server. Unset means the token is mounted silently.
 */
export function checkNoServiceAccountTokenAutomount(workload: Workload): Finding[] {
    const value = workload.podSpec["automountServiceAccountToken"];
    if (value === false || value === true) {
        return [];
    }
    return [podFinding(workload, "automountServiceAccountToken", `is ${show(value)}; set it to false (or to true if the workload calls the Kubernetes API)`)];
}
