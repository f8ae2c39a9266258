/**
 * Turns recorded Kubernetes resources into the objects the provider would send to the API
 * server: `apiVersion`, `kind`, `metadata`, then the rest. Secret data is always redacted,
 * and names Pulumi would generate are resolved the way the provider does it (`<name>-<8
 * chars>`) and flagged, so a reader knows the real name is chosen at deploy time.
 */
import { autoName, RecordedResource } from "./recorder";
import { REDACTED } from "./wire";

export interface KubernetesObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } & Record<string, unknown>;
    [field: string]: unknown;
}

export interface RenderedObject {
    object: KubernetesObject;
    /** URN of the Pulumi resource that creates it. */
    urn: string;
    /** True when Pulumi picks the name at deploy time. */
    autoNamed: boolean;
}

/** Kubernetes resources that are real API objects (not providers, Helm charts or YAML groups). */
export function isKubernetesObject(resource: RecordedResource): boolean {
    return (
        resource.custom &&
        resource.type.startsWith("kubernetes:") &&
        !resource.type.startsWith("pulumi:providers:") &&
        typeof resource.inputs["apiVersion"] === "string" &&
        typeof resource.inputs["kind"] === "string"
    );
}

/** Every value of a Secret's data redacted, its key names kept (known from the recording). */
function redactSecretData(object: KubernetesObject, keys: Record<string, string[]> = {}): void {
    if (object.kind !== "Secret") return;
    for (const field of ["data", "stringData"]) {
        const data = object[field];
        if (data === undefined) continue;
        const names = data && typeof data === "object" ? Object.keys(data) : (keys[field] ?? []);
        object[field] = Object.fromEntries(names.map((name) => [name, REDACTED]));
    }
}

export function toKubernetesObject(resource: RecordedResource): RenderedObject {
    const { apiVersion, kind, metadata, ...rest } = structuredClone(resource.inputs) as Record<string, unknown>;
    const meta = { ...((metadata as Record<string, unknown>) ?? {}) } as KubernetesObject["metadata"];
    const autoNamed = typeof meta.name !== "string" || meta.name.length === 0;
    if (autoNamed) meta.name = autoName(resource.name, resource.urn);
    const object: KubernetesObject = { apiVersion: apiVersion as string, kind: kind as string, metadata: meta };
    for (const key of Object.keys(rest).sort()) object[key] = rest[key];
    redactSecretData(object, resource.secretDataKeys);
    return { object, urn: resource.urn, autoNamed };
}

export function kubernetesObjects(resources: readonly RecordedResource[]): RenderedObject[] {
    return resources.filter(isKubernetesObject).map(toKubernetesObject);
}
