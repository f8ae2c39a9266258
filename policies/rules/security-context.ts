/**
 * Container-only securityContext fields. The pod-level securityContext has none of
 * them, so setting them there satisfies nothing: only the container's own value counts.
 */
import { isUnset, show } from "./values";
import { containerFinding, type Finding, type Workload } from "./workload";

/**
 * readOnlyRootFilesystem is not a Pod Security control. Windows pods are exempt
 * because the API rejects the field for them (spec.os.name: windows).
 */
export function checkReadOnlyRootFilesystem(workload: Workload): Finding[] {
    if (workload.isWindows) {
        return [];
    }
    return workload.containers
        .filter((container) => container.securityContext?.["readOnlyRootFilesystem"] !== true)
        .map((container) =>
            containerFinding(
                container,
                "securityContext.readOnlyRootFilesystem",
                `is ${show(container.securityContext?.["readOnlyRootFilesystem"])}; set it to true and mount an emptyDir where the process writes`,
            ),
        );
}

/** Unset counts as allowed (the kernel default), so it must be an explicit false. Windows pods are exempt (v1.25+). */
export function checkNoPrivilegeEscalation(workload: Workload): Finding[] {
    if (workload.isWindows) {
        return [];
    }
    return workload.containers
        .filter((container) => container.securityContext?.["allowPrivilegeEscalation"] !== false)
        .map((container) =>
            containerFinding(
                container,
                "securityContext.allowPrivilegeEscalation",
                `is ${show(container.securityContext?.["allowPrivilegeEscalation"])}; set it to false`,
            ),
        );
}

/** Applies to Windows pods too (the admission code does not exempt them). */
export function checkNoPrivileged(workload: Workload): Finding[] {
    return workload.containers
        .filter((container) => container.securityContext?.["privileged"] === true)
        .map((container) => containerFinding(container, "securityContext.privileged", "is true; remove it or set it to false"));
}

/** Unset or "Default"; the restricted profile allows no other value, not even in a user namespace. */
export function checkDefaultProcMount(workload: Workload): Finding[] {
    return workload.containers
        .filter((container) => {
            const value = container.securityContext?.["procMount"];
            return !isUnset(value) && value !== "Default";
        })
        .map((container) =>
            containerFinding(container, "securityContext.procMount", `is ${show(container.securityContext?.["procMount"])}; remove it or set it to "Default"`),
        );
}
