/**
 * What a pod template uses by name: Secrets, ConfigMaps, PersistentVolumeClaims and its
 * ServiceAccount, from env, envFrom, volumes (projected sources too) and imagePullSecrets.
 * The kubelet will not start a container whose env or volume source is missing unless the
 * reference is `optional: true` (Kubernetes API reference, EnvVarSource / SecretVolumeSource),
 * and a pod with a missing ServiceAccount is rejected at admission (ServiceAccount admission
 * plugin), so its ReplicaSet never gets a pod.
 */
import type { Workload } from "../../policies/rules/workload";
import { arrayAt, objectAt, stringAt, type PlainObject } from "../../policies/rules/values";

export type ReferencedKind = "Secret" | "ConfigMap" | "PersistentVolumeClaim" | "ServiceAccount";

export interface PodReference {
    kind: ReferencedKind;
    name: string;
    /** The key an env var reads, when it reads one key. */
    key?: string;
    /** Where in the pod it is used, for messages: `container "app" env DATABASE_URL`. */
    where: string;
    /** Missing image pull Secrets only make the pull anonymous. */
    pullSecret?: boolean;
}

function envReferences(container: PlainObject, where: string): PodReference[] {
    const found: PodReference[] = [];
    for (const env of arrayAt(container["env"])) {
        const from = objectAt(objectAt(env)?.["valueFrom"]);
        const variable = stringAt(objectAt(env)?.["name"]) ?? "?";
        for (const [field, kind] of [
            ["secretKeyRef", "Secret"],
            ["configMapKeyRef", "ConfigMap"],
        ] as const) {
            const ref = objectAt(from?.[field]);
            const name = stringAt(ref?.["name"]);
            if (ref && name && ref["optional"] !== true) found.push({ kind, name, key: stringAt(ref["key"]), where: `${where} env ${variable}` });
        }
    }
    for (const source of arrayAt(container["envFrom"])) {
        for (const [field, kind] of [
            ["secretRef", "Secret"],
            ["configMapRef", "ConfigMap"],
        ] as const) {
            const ref = objectAt(objectAt(source)?.[field]);
            const name = stringAt(ref?.["name"]);
            if (ref && name && ref["optional"] !== true) found.push({ kind, name, where: `${where} envFrom` });
        }
    }
    return found;
}

function volumeReferences(volume: PlainObject): PodReference[] {
    const where = `volume "${stringAt(volume["name"]) ?? "?"}"`;
    const found: PodReference[] = [];
    const secret = objectAt(volume["secret"]);
    if (secret && secret["optional"] !== true && stringAt(secret["secretName"])) found.push({ kind: "Secret", name: secret["secretName"] as string, where });
    const configMap = objectAt(volume["configMap"]);
    if (configMap && configMap["optional"] !== true && stringAt(configMap["name"])) found.push({ kind: "ConfigMap", name: configMap["name"] as string, where });
    const claim = stringAt(objectAt(volume["persistentVolumeClaim"])?.["claimName"]);
    if (claim) found.push({ kind: "PersistentVolumeClaim", name: claim, where });
    for (const source of arrayAt(objectAt(volume["projected"])?.["sources"])) {
        for (const [field, kind] of [
            ["secret", "Secret"],
            ["configMap", "ConfigMap"],
        ] as const) {
            const ref = objectAt(objectAt(source)?.[field]);
            const name = stringAt(ref?.["name"]);
            if (ref && name && ref["optional"] !== true) found.push({ kind, name, where: `${where} (projected)` });
        }
    }
    return found;
}

export function podReferences(workload: Workload): PodReference[] {
    const spec = workload.podSpec;
    const found: PodReference[] = [];
    for (const container of workload.containers)
        found.push(...envReferences(container.spec, `${container.position === "initContainers" ? "init container" : "container"} "${container.name}"`));
    for (const volume of arrayAt(spec["volumes"])) if (objectAt(volume)) found.push(...volumeReferences(volume as PlainObject));
    for (const pullSecret of arrayAt(spec["imagePullSecrets"])) {
        const name = stringAt(objectAt(pullSecret)?.["name"]);
        if (name) found.push({ kind: "Secret", name, where: "imagePullSecrets", pullSecret: true });
    }
    const serviceAccount = stringAt(spec["serviceAccountName"]) ?? stringAt(spec["serviceAccount"]);
    // Every namespace gets a `default` ServiceAccount from the ServiceAccount controller.
    if (serviceAccount && serviceAccount !== "default") found.push({ kind: "ServiceAccount", name: serviceAccount, where: "serviceAccountName" });
    return found;
}
