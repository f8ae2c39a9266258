/**
 * The ONE pod-spec extractor: finds the pod spec and pod metadata of every workload
 * kind, so each rule is written once against a pod spec and never against a kind.
 */
import { arrayAt, isPlainObject, objectAt, stringAt, type PlainObject } from "./values";
import { containerPositions, type ContainerRef, type Workload } from "./workload";

export type WorkloadKind = "Pod" | "PodTemplate" | "ReplicationController" | "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" | "CronJob";

interface KindLayout {
    /** API groups that serve this kind ("" is the core group, apiVersion "v1"). */
    readonly groups: readonly string[];
    /** Path from the object root to the pod template (an object with metadata and spec). */
    readonly templatePath: readonly string[];
    /** Jobs run to completion; the rest keep their pods running. */
    readonly runsToCompletion: boolean;
}

// A Pod is its own template: metadata and spec sit at the root.
const layouts: Record<WorkloadKind, KindLayout> = {
    Pod: { groups: [""], templatePath: [], runsToCompletion: false },
    PodTemplate: { groups: [""], templatePath: ["template"], runsToCompletion: false },
    ReplicationController: { groups: [""], templatePath: ["spec", "template"], runsToCompletion: false },
    Deployment: { groups: ["apps", "extensions"], templatePath: ["spec", "template"], runsToCompletion: false },
    StatefulSet: { groups: ["apps"], templatePath: ["spec", "template"], runsToCompletion: false },
    DaemonSet: { groups: ["apps", "extensions"], templatePath: ["spec", "template"], runsToCompletion: false },
    ReplicaSet: { groups: ["apps", "extensions"], templatePath: ["spec", "template"], runsToCompletion: false },
    Job: { groups: ["batch"], templatePath: ["spec", "template"], runsToCompletion: true },
    CronJob: { groups: ["batch"], templatePath: ["spec", "jobTemplate", "spec", "template"], runsToCompletion: true },
};

export const workloadKinds = Object.keys(layouts) as readonly WorkloadKind[];

function isWorkloadKindName(kind: string): kind is WorkloadKind {
    return Object.hasOwn(layouts, kind);
}

/** "apps/v1" -> "apps"; "v1" -> "" (core). */
export function apiGroupOf(apiVersion: string): string {
    const slash = apiVersion.indexOf("/");
    return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/**
 * The workload kind of an object, or undefined for every other kind. A custom
 * resource that reuses a name (e.g. a `Job` in another API group) is not a workload;
 * without an apiVersion the kind alone decides.
 */
export function workloadKindOf(apiVersion: unknown, kind: unknown): WorkloadKind | undefined {
    if (typeof kind !== "string" || !isWorkloadKindName(kind)) {
        return undefined;
    }
    if (typeof apiVersion === "string" && !layouts[kind].groups.includes(apiGroupOf(apiVersion))) {
        return undefined;
    }
    return kind;
}

/** Who the workload is, for messages. */
export interface WorkloadIdentity {
    readonly name: string;
    readonly namespace: string | undefined;
}

export function identityOf(object: PlainObject): WorkloadIdentity {
    const metadata = objectAt(object["metadata"]);
    return {
        name: stringAt(metadata?.["name"]) ?? stringAt(metadata?.["generateName"]) ?? "(unnamed)",
        namespace: stringAt(metadata?.["namespace"]) || undefined,
    };
}

/** Extracts the workload view of any object; undefined when it is not a workload kind. */
export function extractWorkload(object: unknown, identity?: WorkloadIdentity): Workload | undefined {
    if (!isPlainObject(object)) {
        return undefined;
    }
    const kind = workloadKindOf(object["apiVersion"], object["kind"]);
    return kind === undefined ? undefined : extractWorkloadOfKind(kind, object, identity ?? identityOf(object));
}

/** Extracts the workload view of an object already known to be of `kind`. */
export function extractWorkloadOfKind(kind: WorkloadKind, object: PlainObject, identity: WorkloadIdentity): Workload {
    const layout = layouts[kind];
    let template: PlainObject | undefined = object;
    for (const key of layout.templatePath) {
        template = objectAt(template?.[key]);
    }
    const base = layout.templatePath.join(".");
    const prefix = base === "" ? "" : `${base}.`;
    // A workload with no pod spec is still a workload: rules see an empty pod.
    const podSpec = objectAt(template?.["spec"]) ?? {};
    const podSpecPath = `${prefix}spec`;
    const restartPolicy = podSpec["restartPolicy"];
    return {
        kind,
        name: identity.name,
        namespace: identity.namespace,
        podSpec,
        podSpecPath,
        podMetadata: objectAt(template?.["metadata"]) ?? {},
        podMetadataPath: `${prefix}metadata`,
        podSecurityContext: objectAt(podSpec["securityContext"]),
        containers: containersOf(podSpec, podSpecPath),
        isWindows: objectAt(podSpec["os"])?.["name"] === "windows",
        // Only bare pods and pod templates choose; restartPolicy defaults to Always.
        isLongRunning: !layout.runsToCompletion && (restartPolicy === undefined || restartPolicy === null || restartPolicy === "Always"),
    };
}

function containersOf(podSpec: PlainObject, podSpecPath: string): ContainerRef[] {
    const result: ContainerRef[] = [];
    for (const position of containerPositions) {
        arrayAt(podSpec[position]).forEach((entry, index) => {
            if (!isPlainObject(entry)) {
                return;
            }
            result.push({
                position,
                index,
                name: stringAt(entry["name"]) ?? `#${index}`,
                spec: entry,
                securityContext: objectAt(entry["securityContext"]),
                path: `${podSpecPath}.${position}[${index}]`,
            });
        });
    }
    return result;
}
