/**
 * The shape every rule works on: one pod spec, wherever the workload kind keeps it,
 * with its containers already enumerated so each rule sees the same list.
 */
import type { PlainObject } from "./values";

/** Where a container lives in the pod spec; the API keeps all three lists. */
export type ContainerPosition = "initContainers" | "containers" | "ephemeralContainers";

export const containerPositions: readonly ContainerPosition[] = ["initContainers", "containers", "ephemeralContainers"];

export interface ContainerRef {
    readonly position: ContainerPosition;
    readonly index: number;
    /** The container's name, or `#<index>` when it has none. */
    readonly name: string;
    readonly spec: PlainObject;
    /** The container's `securityContext`, when it is an object. */
    readonly securityContext: PlainObject | undefined;
    /** Field path of the container inside the manifest, e.g. `spec.template.spec.containers[0]`. */
    readonly path: string;
}

export interface Workload {
    readonly kind: string;
    readonly name: string;
    readonly namespace: string | undefined;
    readonly podSpec: PlainObject;
    /** Field path of the pod spec, e.g. `spec.template.spec`. */
    readonly podSpecPath: string;
    /** Pod (template) metadata: the annotations Pod Security reads live here. */
    readonly podMetadata: PlainObject;
    readonly podMetadataPath: string;
    /** The pod-level `securityContext`, when it is an object. */
    readonly podSecurityContext: PlainObject | undefined;
    readonly containers: readonly ContainerRef[];
    /** `spec.os.name` is exactly "windows" (the admission code's test). */
    readonly isWindows: boolean;
    /** Pods that run until stopped (services), as opposed to run-to-completion ones. */
    readonly isLongRunning: boolean;
}

/** One problem a rule found. The evaluator prefixes the kind and object. */
export interface Finding {
    /** What is wrong, e.g. `container "app"`, `pod`, `volume "data"`. */
    readonly subject: string;
    /** Full field path in the manifest. */
    readonly field: string;
    /** What is wrong with the field and what to set instead. */
    readonly problem: string;
}

export type Rule = (workload: Workload) => Finding[];

const positionLabel: Record<ContainerPosition, string> = {
    initContainers: "init container",
    containers: "container",
    ephemeralContainers: "ephemeral container",
};

export function containerSubject(container: ContainerRef): string {
    return `${positionLabel[container.position]} "${container.name}"`;
}

export function containerFinding(container: ContainerRef, field: string, problem: string): Finding {
    return { subject: containerSubject(container), field: `${container.path}.${field}`, problem };
}

export function podFinding(workload: Workload, field: string, problem: string): Finding {
    return { subject: "pod", field: `${workload.podSpecPath}.${field}`, problem };
}
