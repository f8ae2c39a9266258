/**
 * seccompProfile exists at both levels. A container without its own profile inherits
 * the pod's; a profile that is set must be RuntimeDefault or Localhost wherever it is.
 * Windows pods are exempt (v1.25+): the API rejects seccomp for them.
 */
import { isUnset, objectAt, show } from "./values";
import { containerFinding, podFinding, type Finding, type Workload } from "./workload";

const allowedTypes: ReadonlySet<unknown> = new Set(["RuntimeDefault", "Localhost"]);

function profileTypeOf(profile: unknown): unknown {
    return objectAt(profile)?.["type"];
}

export function checkSeccompRestricted(workload: Workload): Finding[] {
    if (workload.isWindows) {
        return [];
    }
    const findings: Finding[] = [];
    const podProfile = workload.podSecurityContext?.["seccompProfile"];
    let podProfileValid = false;
    if (!isUnset(podProfile)) {
        podProfileValid = allowedTypes.has(profileTypeOf(podProfile));
        if (!podProfileValid) {
            findings.push(
                podFinding(
                    workload,
                    "securityContext.seccompProfile.type",
                    `is ${show(profileTypeOf(podProfile))}; set it to "RuntimeDefault" or "Localhost" (a bad pod-level profile fails even when containers set a good one)`,
                ),
            );
        }
    }
    for (const container of workload.containers) {
        const profile = container.securityContext?.["seccompProfile"];
        if (!isUnset(profile)) {
            if (!allowedTypes.has(profileTypeOf(profile))) {
                findings.push(
                    containerFinding(
                        container,
                        "securityContext.seccompProfile.type",
                        `is ${show(profileTypeOf(profile))}; set it to "RuntimeDefault" or "Localhost"`,
                    ),
                );
            }
        } else if (!podProfileValid) {
            findings.push(
                containerFinding(
                    container,
                    "securityContext.seccompProfile",
                    `is unset and ${workload.podSpecPath}.securityContext.seccompProfile.type is not "RuntimeDefault" or "Localhost"; set the pod-level or the container-level type`,
                ),
            );
        }
    }
    return findings;
}
