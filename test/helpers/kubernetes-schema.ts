/**
 * Validates rendered objects against the real Kubernetes API schemas shipped by the
 * `kubernetes-models` packages. Every kind a render can produce must have a schema here:
 * an object of an unknown kind fails, so a new kind is never silently unchecked.
 */

import { validateAiAgentsCustomResource } from "../ai-agents/crd-schema";

type Model = new (data: unknown) => { validate(): void };

/** Packages holding the models of custom resources, by API group. */
const CRD_PACKAGES: Record<string, string> = {
    "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
    "external-secrets.io": "@kubernetes-models/external-secrets",
    "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
    "cert-manager.io": "@kubernetes-models/cert-manager",
    "cilium.io": "@kubernetes-models/cilium",
    "traefik.io": "@kubernetes-models/traefik",
};

function modulePath(apiVersion: string): string {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    if (!group) return `kubernetes-models/${version}`;
    const crdPackage = CRD_PACKAGES[group!];
    return crdPackage ? `${crdPackage}/${group}/${version}` : `kubernetes-models/${group}/${version}`;
}

/** Throws with every schema error of `object`, or returns quietly. */
export async function validateAgainstSchema(object: { apiVersion: string; kind: string; metadata?: { name?: string } }): Promise<void> {
    // Our own CRDs' objects: against the openAPIV3Schema of the CRD we ship.
    if (object.apiVersion.startsWith("labrats.work/")) return validateAiAgentsCustomResource(object);
    let models: Record<string, Model>;
    try {
        models = await import(modulePath(object.apiVersion));
    } catch {
        throw new Error(`no schema for apiVersion ${object.apiVersion}`);
    }
    const model = models[object.kind];
    if (!model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
    try {
        new model(object).validate();
    } catch (err) {
        throw new Error(`${object.kind}/${object.metadata?.name}: ${(err as Error).message}`, { cause: err });
    }
}
