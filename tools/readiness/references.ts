/**
 * Rule `references`: every Secret, ConfigMap, PersistentVolumeClaim and ServiceAccount a pod
 * template uses, and every namespace an object lives in, exists when the pods start: the stack
 * renders it, an ExternalSecret (or a cert-manager Certificate) of the stack makes it, or the
 * config declares it pre-existing. On a cluster the stack creates, a declaration cannot hold:
 * nothing exists before the first `up`.
 *
 * Why it matters: the Kubernetes provider waits for a Deployment's pods to be ready and fails
 * after 10 minutes (pulumi-kubernetes, provider/pkg/await: deployment await); a pod whose Secret
 * is missing stays in CreateContainerConfigError / ContainerCreating, so the `up` fails.
 */
import { extractWorkload } from "../../policies/rules/pod-spec";
import { arrayAt, objectAt, stringAt } from "../../policies/rules/values";
import type { KubernetesObject } from "../render/manifests";
import type { DeclaredObject, ReadinessFacts } from "./facts";
import { objectRef, type Finding } from "./findings";
import { ObjectIndex } from "./object-index";
import { podReferences, type PodReference } from "./pod-references";

/** Namespaces every cluster has. */
const BUILT_IN_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

/** Key names a rendered or synced object will hold (undefined: cannot be known), and who makes it. */
interface KeySource {
    keys?: Set<string>;
    madeBy: string;
}

function secretSources(index: ObjectIndex): Map<string, KeySource> {
    const sources = new Map<string, KeySource>();
    for (const secret of index.ofKind("Secret")) {
        const keys = new Set([...Object.keys(objectAt(secret["data"]) ?? {}), ...Object.keys(objectAt(secret["stringData"]) ?? {})]);
        sources.set(`${secret.metadata.namespace}/${secret.metadata.name}`, { keys, madeBy: "the stack" });
    }
    for (const externalSecret of index.ofKind("ExternalSecret")) {
        const spec = objectAt(externalSecret["spec"]) ?? {};
        const target = stringAt(objectAt(spec["target"])?.["name"]) ?? externalSecret.metadata.name;
        const templateKeys = Object.keys(objectAt(objectAt(objectAt(spec["target"])?.["template"])?.["data"]) ?? {});
        const dataKeys = arrayAt(spec["data"])
            .map((entry) => stringAt(objectAt(entry)?.["secretKey"]))
            .filter((key): key is string => key !== undefined);
        // dataFrom copies whatever the remote holds: its keys are unknown here.
        const known = arrayAt(spec["dataFrom"]).length === 0;
        sources.set(`${externalSecret.metadata.namespace}/${target}`, {
            keys: known ? new Set([...dataKeys, ...templateKeys]) : undefined,
            madeBy: `ExternalSecret ${externalSecret.metadata.name}`,
        });
    }
    for (const certificate of index.ofKind("Certificate")) {
        const secretName = stringAt(objectAt(certificate["spec"])?.["secretName"]);
        if (secretName)
            sources.set(`${certificate.metadata.namespace}/${secretName}`, {
                keys: new Set(["tls.crt", "tls.key", "ca.crt"]),
                madeBy: `Certificate ${certificate.metadata.name}`,
            });
    }
    return sources;
}

function configMapSources(index: ObjectIndex): Map<string, KeySource> {
    const sources = new Map<string, KeySource>();
    for (const configMap of index.ofKind("ConfigMap")) {
        const keys = new Set([...Object.keys(objectAt(configMap["data"]) ?? {}), ...Object.keys(objectAt(configMap["binaryData"]) ?? {})]);
        sources.set(`${configMap.metadata.namespace}/${configMap.metadata.name}`, { keys, madeBy: "the stack" });
    }
    return sources;
}

function declaration(facts: ReadinessFacts, kind: string, namespace: string | undefined, name: string): DeclaredObject | undefined {
    return facts.declared.objects.find((d) => d.kind === kind && d.name === name && (d.namespace === undefined || d.namespace === namespace));
}

const consequence: Record<PodReference["kind"], string> = {
    Secret: "its containers never start (CreateContainerConfigError or ContainerCreating)",
    ConfigMap: "its containers never start (CreateContainerConfigError or ContainerCreating)",
    PersistentVolumeClaim: "its pods stay Pending",
    ServiceAccount: "admission rejects its pods (ServiceAccount not found), so none is created",
};

/** A pod's references grouped by the object they name, so one missing Secret is one finding. */
function groupedReferences(refs: readonly PodReference[]): PodReference[][] {
    const groups = new Map<string, PodReference[]>();
    for (const ref of refs) {
        const key = `${ref.kind}/${ref.name}`;
        groups.set(key, [...(groups.get(key) ?? []), ref]);
    }
    return [...groups.values()];
}

export function referenceFindings(objects: readonly KubernetesObject[], facts: ReadinessFacts, index = new ObjectIndex(objects)): Finding[] {
    const findings: Finding[] = [];
    const secrets = secretSources(index);
    const configMaps = configMapSources(index);
    const error = (object: KubernetesObject, message: string, severity: Finding["severity"] = "error") =>
        findings.push({ severity, rule: "references", object: objectRef(object), message });
    const onCreatedCluster = (object: KubernetesObject, what: string, declared: DeclaredObject) =>
        error(
            object,
            `${what}, declared pre-existing by ${declared.source}; the stack creates this cluster, so nothing exists before the first \`up\`. Let the stack create it (for secrets: mode \`managed\`, or \`external\` with the stack's Key Vault).`,
        );

    for (const object of objects) {
        const namespace = object.metadata.namespace;
        if (namespace && !BUILT_IN_NAMESPACES.has(namespace) && !index.has("Namespace", undefined, namespace)) {
            const declared = declaration(facts, "Namespace", undefined, namespace);
            if (!declared) {
                error(
                    object,
                    `namespace ${namespace} is neither created by the stack nor declared; the API server refuses the object (namespaces "${namespace}" not found). Let the stack create it, or declare it in \`preinstalled.objects\`.`,
                );
            } else if (facts.clusterCreatedByStack) {
                onCreatedCluster(object, `it lives in namespace ${namespace}`, declared);
            }
        }
        const workload = extractWorkload(object);
        if (!workload) continue;
        for (const refs of groupedReferences(podReferences(workload))) {
            const { kind, name } = refs[0]!;
            const where = refs.map((r) => r.where).join(", ");
            // The root CA publisher puts this ConfigMap in every namespace.
            if (kind === "ConfigMap" && name === "kube-root-ca.crt") continue;
            const sources = kind === "Secret" ? secrets : kind === "ConfigMap" ? configMaps : undefined;
            const source = sources?.get(`${namespace}/${name}`);
            if (source) {
                for (const ref of refs) {
                    if (ref.key === undefined || !source.keys || source.keys.has(ref.key)) continue;
                    const keys = [...source.keys].sort().join(", ") || "no keys";
                    error(
                        object,
                        `${ref.where} reads key "${ref.key}" of ${kind} ${namespace}/${name}, which ${source.madeBy} fills with ${keys}; the container never starts (CreateContainerConfigError).`,
                    );
                }
                continue;
            }
            if (!sources && index.has(kind, namespace, name)) continue;
            const declared = declaration(facts, kind, namespace, name);
            if (declared) {
                if (facts.clusterCreatedByStack) onCreatedCluster(object, `${where} use ${kind} ${namespace}/${name}`, declared);
                continue;
            }
            if (refs.every((r) => r.pullSecret)) {
                error(
                    object,
                    `imagePullSecrets names Secret ${namespace}/${name}, which the stack neither creates nor declares; the kubelet pulls without it and a private image fails with ImagePullBackOff. Let the stack create it (\`images.credentials\`) or declare it.`,
                    "warning",
                );
                continue;
            }
            error(
                object,
                `${where} use ${kind} ${namespace}/${name}, which the stack neither creates nor syncs and the config does not declare; ${consequence[kind]}. Let the stack create it, or declare it in \`preinstalled.objects\` (kubeconfig clusters only).`,
            );
        }
    }
    for (const externalSecret of index.ofKind("ExternalSecret")) {
        const store = objectAt(objectAt(externalSecret["spec"])?.["secretStoreRef"]);
        const kind = stringAt(store?.["kind"]) ?? "SecretStore";
        const name = stringAt(store?.["name"]);
        if (name && !index.has(kind, kind === "ClusterSecretStore" ? undefined : externalSecret.metadata.namespace, name)) {
            error(
                externalSecret,
                `its ${kind} ${name} is not rendered by the stack; External Secrets never syncs the Secret. Render the store with the stack.`,
            );
        }
    }
    return findings;
}
