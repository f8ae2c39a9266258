/**
 * The rendered objects by kind, namespace and name: what exists on the cluster once the
 * stack's `up` has run (before any controller acts).
 */
import type { KubernetesObject } from "../render/manifests";

export class ObjectIndex {
    private readonly byKey = new Map<string, KubernetesObject>();
    private readonly byKind = new Map<string, KubernetesObject[]>();

    constructor(readonly objects: readonly KubernetesObject[]) {
        for (const object of objects) {
            this.byKey.set(ObjectIndex.key(object.kind, object.metadata.namespace, object.metadata.name), object);
            const list = this.byKind.get(object.kind) ?? [];
            list.push(object);
            this.byKind.set(object.kind, list);
        }
    }

    static key(kind: string, namespace: string | undefined, name: string): string {
        return `${kind}/${namespace ?? "-"}/${name}`;
    }

    get(kind: string, namespace: string | undefined, name: string): KubernetesObject | undefined {
        return this.byKey.get(ObjectIndex.key(kind, namespace, name));
    }

    has(kind: string, namespace: string | undefined, name: string): boolean {
        return this.byKey.has(ObjectIndex.key(kind, namespace, name));
    }

    ofKind(kind: string): readonly KubernetesObject[] {
        return this.byKind.get(kind) ?? [];
    }
}

/** The API group of an apiVersion: "apps/v1" -> "apps", "v1" -> "" (core). */
export function groupOf(apiVersion: string): string {
    const slash = apiVersion.indexOf("/");
    return slash < 0 ? "" : apiVersion.slice(0, slash);
}
