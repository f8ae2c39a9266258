/**
 * Workloads and namespaces of a set of manifests. A workload is what netpol-analyzer lists
 * as one peer: a controller object with its pod template, or the pods a controller owns.
 */
import { arrayAt, isPlainObject, objectAt, stringAt, type PlainObject } from "../../policies/rules/values";
import type { Protocol } from "./connections";
import type { ContainerPort, Workload } from "./model";
import type { Labels } from "./selectors";

/** Where each kind keeps its pod template. */
const templatePaths: Readonly<Record<string, readonly string[]>> = {
    Deployment: ["spec", "template"],
    ReplicaSet: ["spec", "template"],
    ReplicationController: ["spec", "template"],
    StatefulSet: ["spec", "template"],
    DaemonSet: ["spec", "template"],
    Job: ["spec", "template"],
    CronJob: ["spec", "jobTemplate", "spec", "template"],
};

/** API groups these kinds live in (core, apps, the old extensions, batch): not a CRD that reuses the name. */
const workloadGroups: ReadonlySet<string> = new Set(["", "apps", "extensions", "batch"]);

const validProtocols: ReadonlySet<string> = new Set(["TCP", "UDP", "SCTP"]);

export const defaultNamespace = "default";
/** Set on every namespace by the API server since Kubernetes 1.21 (NamespaceDefaultLabelName). */
export const namespaceNameLabel = "kubernetes.io/metadata.name";

function apiGroup(apiVersion: unknown): string {
    const text = typeof apiVersion === "string" ? apiVersion : "";
    const slash = text.indexOf("/");
    return slash < 0 ? "" : text.slice(0, slash);
}

function at(value: unknown, path: readonly string[]): unknown {
    let current = value;
    for (const key of path) current = objectAt(current)?.[key];
    return current;
}

/** Label values as strings; YAML may have read `version: 1` as a number. */
export function labelsOf(value: unknown): Record<string, string> {
    const labels: Record<string, string> = {};
    const object = objectAt(value);
    if (object === undefined) return labels;
    for (const [key, raw] of Object.entries(object)) {
        if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") labels[key] = String(raw);
        else if (raw === null) labels[key] = "";
    }
    return labels;
}

/** The containers' declared ports (named ports resolve against these). */
function portsOf(podSpec: unknown): ContainerPort[] {
    const ports: ContainerPort[] = [];
    for (const container of arrayAt(objectAt(podSpec)?.["containers"])) {
        for (const port of arrayAt(objectAt(container)?.["ports"])) {
            const entry = objectAt(port);
            const number = entry?.["containerPort"];
            if (typeof number !== "number" || !Number.isInteger(number)) continue;
            const protocol = entry?.["protocol"] ?? "TCP";
            if (typeof protocol !== "string" || !validProtocols.has(protocol)) continue;
            const name = stringAt(entry?.["name"]);
            ports.push({ ...(name === undefined ? {} : { name }), containerPort: number, protocol: protocol as Protocol });
        }
    }
    return ports;
}

function metadataOf(object: PlainObject): PlainObject {
    return objectAt(object["metadata"]) ?? {};
}

export function namespaceOf(object: PlainObject): string {
    return stringAt(metadataOf(object)["namespace"]) || defaultNamespace;
}

/**
 * The peer a Pod belongs to: its controlling owner (controller: true, not a Node, as for
 * static pods), else itself. An owner reference without a kind keeps the kind "Pod".
 */
function podIdentity(pod: PlainObject): { name: string; kind: string } {
    const metadata = metadataOf(pod);
    for (const reference of arrayAt(metadata["ownerReferences"])) {
        const owner = objectAt(reference);
        if (owner?.["controller"] !== true || owner["kind"] === "Node" || typeof owner["name"] !== "string") continue;
        return { name: owner["name"], kind: stringAt(owner["kind"]) || "Pod" };
    }
    return { name: stringAt(metadata["name"]) ?? "", kind: "Pod" };
}

/** The workload an object defines, or undefined for any other object. */
export function workloadOf(object: PlainObject): Workload | undefined {
    const kind = object["kind"];
    if (typeof kind !== "string" || !workloadGroups.has(apiGroup(object["apiVersion"]))) return undefined;
    const namespace = namespaceOf(object);
    if (kind === "Pod") {
        const identity = podIdentity(object);
        return { namespace, name: identity.name, kind: identity.kind, podLabels: labelsOf(metadataOf(object)["labels"]), ports: portsOf(object["spec"]) };
    }
    const path = templatePaths[kind];
    if (path === undefined) return undefined;
    const template = objectAt(at(object, path));
    const name = stringAt(metadataOf(object)["name"]) ?? "";
    return { namespace, name, kind, podLabels: labelsOf(at(template, ["metadata", "labels"])), ports: portsOf(template?.["spec"]) };
}

export function workloadKey(workload: Pick<Workload, "namespace" | "name" | "kind">): string {
    return `${workload.namespace}/${workload.name}[${workload.kind}]`;
}

/**
 * One workload per namespace/name/kind, the first object winning: pods of one owner
 * collapse into one peer carrying the first pod's labels and ports.
 */
export function collectWorkloads(objects: readonly unknown[]): Workload[] {
    const byKey = new Map<string, Workload>();
    for (const object of objects) {
        if (!isPlainObject(object)) continue;
        const workload = workloadOf(object);
        if (workload === undefined) continue;
        const key = workloadKey(workload);
        if (!byKey.has(key)) byKey.set(key, workload);
    }
    return [...byKey.values()];
}

/** Namespace labels: declared ones, then rendered Namespace objects, each with its name label. */
export function collectNamespaces(
    objects: readonly unknown[],
    declared: readonly { name: string; labels: Record<string, string> }[] = [],
): Map<string, Labels> {
    const namespaces = new Map<string, Labels>();
    for (const namespace of declared) namespaces.set(namespace.name, { ...namespace.labels, [namespaceNameLabel]: namespace.name });
    for (const object of objects) {
        if (!isPlainObject(object) || object["kind"] !== "Namespace" || apiGroup(object["apiVersion"]) !== "") continue;
        const name = stringAt(metadataOf(object)["name"]);
        if (name === undefined) continue;
        namespaces.set(name, { ...labelsOf(metadataOf(object)["labels"]), [namespaceNameLabel]: name });
    }
    return namespaces;
}
