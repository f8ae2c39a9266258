/**
 * The pods the rendered workloads will run, with their labels and container ports: what a
 * Service selects and what its targetPort resolves against.
 */
import { extractWorkload } from "../../policies/rules/pod-spec";
import { arrayAt, objectAt, stringAt } from "../../policies/rules/values";
import type { KubernetesObject } from "../render/manifests";

export interface ContainerPort {
    name?: string;
    containerPort: number;
    protocol: string;
}

export interface RenderedPods {
    workload: KubernetesObject;
    namespace: string | undefined;
    labels: Record<string, string>;
    ports: ContainerPort[];
}

export function renderedPods(objects: readonly KubernetesObject[]): RenderedPods[] {
    const pods: RenderedPods[] = [];
    for (const object of objects) {
        const workload = extractWorkload(object);
        if (!workload) continue;
        const labels = (objectAt(workload.podMetadata["labels"]) ?? {}) as Record<string, string>;
        const ports = workload.containers
            .filter((c) => c.position !== "ephemeralContainers")
            .flatMap((c) =>
                arrayAt(c.spec["ports"]).map((p) => ({
                    name: stringAt(objectAt(p)?.["name"]),
                    containerPort: Number(objectAt(p)?.["containerPort"]),
                    protocol: stringAt(objectAt(p)?.["protocol"]) ?? "TCP",
                })),
            );
        pods.push({ workload: object, namespace: workload.namespace, labels, ports });
    }
    return pods;
}

/** Pods a Service's selector picks in its namespace (an empty or missing selector picks none: such a Service has manual endpoints). */
export function selectedPods(pods: readonly RenderedPods[], namespace: string | undefined, selector: Record<string, string> | undefined): RenderedPods[] {
    if (!selector || Object.keys(selector).length === 0) return [];
    return pods.filter((pod) => pod.namespace === namespace && Object.entries(selector).every(([key, value]) => pod.labels[key] === value));
}
