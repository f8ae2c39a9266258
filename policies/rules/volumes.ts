/** Inline volume sources the restricted profile allows, and how the API sees the rest. */
import { arrayAt, isUnset, objectAt, stringAt } from "./values";
import { type Finding, type Workload } from "./workload";

export const allowedVolumeSources: readonly string[] = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/** Every other source the Volume API type has. Keys outside both lists are dropped by the API server. */
export const restrictedVolumeSources: readonly string[] = [
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
];

/**
 * A volume passes when it sets any allowed source. With no known source at all the
 * API server defaults it to emptyDir, which passes too.
 */
export function checkRestrictedVolumeTypes(workload: Workload): Finding[] {
    const findings: Finding[] = [];
    arrayAt(workload.podSpec["volumes"]).forEach((entry, index) => {
        const volume = objectAt(entry);
        if (volume === undefined || allowedVolumeSources.some((source) => !isUnset(volume[source]))) {
            return;
        }
        const used = restrictedVolumeSources.filter((source) => !isUnset(volume[source]));
        if (used.length === 0) {
            return;
        }
        findings.push({
            subject: `volume "${stringAt(volume["name"]) ?? `#${index}`}"`,
            field: `${workload.podSpecPath}.volumes[${index}].${used[0]}`,
            problem: `uses the restricted volume type ${used.join(", ")}; use one of ${allowedVolumeSources.join(", ")}`,
        });
    });
    return findings;
}
