/**
 * AppArmor has two spellings: the appArmorProfile field (pod and container level) and
 * the older per-container annotation on the pod (template) metadata. Both are checked.
 */
import { objectAt, show } from "./values";
import { containerFinding, podFinding, type Finding, type Workload } from "./workload";

const allowedProfileTypes: ReadonlySet<unknown> = new Set(["RuntimeDefault", "Localhost"]);
export const appArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

function allowedAnnotationValue(value: unknown): boolean {
    return value === "" || value === "runtime/default" || (typeof value === "string" && value.startsWith("localhost/"));
}

export function checkNoUnconfinedAppArmor(workload: Workload): Finding[] {
    const findings: Finding[] = [];
    const podProfile = objectAt(workload.podSecurityContext?.["appArmorProfile"]);
    if (podProfile !== undefined && !allowedProfileTypes.has(podProfile["type"])) {
        findings.push(
            podFinding(
                workload,
                "securityContext.appArmorProfile.type",
                `is ${show(podProfile["type"])}; set it to "RuntimeDefault" or "Localhost", or remove it`,
            ),
        );
    }
    for (const container of workload.containers) {
        const profile = objectAt(container.securityContext?.["appArmorProfile"]);
        if (profile !== undefined && !allowedProfileTypes.has(profile["type"])) {
            findings.push(
                containerFinding(
                    container,
                    "securityContext.appArmorProfile.type",
                    `is ${show(profile["type"])}; set it to "RuntimeDefault" or "Localhost", or remove it`,
                ),
            );
        }
    }
    // Every annotation with the prefix counts, whether or not a container has that name.
    const annotations = objectAt(workload.podMetadata["annotations"]) ?? {};
    for (const [key, value] of Object.entries(annotations)) {
        if (key.startsWith(appArmorAnnotationPrefix) && !allowedAnnotationValue(value)) {
            const containerName = key.slice(appArmorAnnotationPrefix.length);
            findings.push({
                subject: `container "${containerName}"`,
                field: `${workload.podMetadataPath}.annotations["${key}"]`,
                problem: `is ${show(value)}; use "runtime/default" or "localhost/<profile>", or remove the annotation`,
            });
        }
    }
    return findings;
}
