/**
 * Rule `crds`: every custom resource's CRD exists when the object is created. It is rendered
 * by the stack, comes with a chart the stack installs (charts.ts) — and then the object must
 * depend on that chart, or the engine may create it first and the API server answers "no
 * matches for kind" — comes with the platform (Cilium's CRDs on AKS with the Cilium
 * dataplane: learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium), or is declared in
 * `preinstalled.crdGroups`. A cluster declared Cilium (`networkPolicy.cni`) has Cilium's CRDs.
 */
import type { KubernetesObject } from "../render/manifests";
import type { Recording } from "../render/recorder";
import { objectAt, stringAt } from "../../policies/rules/values";
import type { InstalledChart } from "./charts";
import type { ReadinessFacts } from "./facts";
import { objectRef, type Finding } from "./findings";
import { groupOf } from "./object-index";

/** API groups Kubernetes serves itself (kube-apiserver's built-in APIs). */
export const BUILT_IN_GROUPS = new Set([
    "",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "apps",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "resource.k8s.io",
    "scheduling.k8s.io",
    "storage.k8s.io",
]);

/** CRD groups a cluster the stack creates has before the first `up`. */
export const AKS_PLATFORM_GROUPS = ["cilium.io"];

/** A cluster whose network plugin is Cilium has Cilium's CRDs (the agent installs them). */
export const CILIUM_GROUPS = ["cilium.io"];

/** URNs each resource waits for, directly or through what it waits for. */
function dependencyClosure(recording: Recording): (urn: string) => Set<string> {
    const direct = new Map(recording.resources.map((r) => [r.urn, r.dependsOn]));
    const cache = new Map<string, Set<string>>();
    const closure = (urn: string): Set<string> => {
        const cached = cache.get(urn);
        if (cached) return cached;
        const all = new Set<string>();
        cache.set(urn, all);
        for (const dep of direct.get(urn) ?? []) {
            all.add(dep);
            for (const further of closure(dep)) all.add(further);
        }
        return all;
    };
    return closure;
}

export function crdFindings(
    rendered: readonly { object: KubernetesObject; urn: string }[],
    recording: Recording,
    charts: readonly InstalledChart[],
    facts: ReadinessFacts,
): Finding[] {
    const renderedCrds = new Map<string, string>(); // "<group>/<Kind>" -> CRD's URN
    for (const { object, urn } of rendered) {
        if (object.kind !== "CustomResourceDefinition") continue;
        const spec = objectAt(object["spec"]);
        const group = stringAt(spec?.["group"]);
        const kind = stringAt(objectAt(spec?.["names"])?.["kind"]);
        if (group && kind) renderedCrds.set(`${group}/${kind}`, urn);
    }
    const platform = new Set([...(facts.clusterCreatedByStack ? AKS_PLATFORM_GROUPS : []), ...(facts.cni === "cilium" ? CILIUM_GROUPS : [])]);
    const declared = new Set(facts.declared.crdGroups);
    const dependsOn = dependencyClosure(recording);
    const findings: Finding[] = [];
    for (const { object, urn } of rendered) {
        const group = groupOf(object.apiVersion);
        if (BUILT_IN_GROUPS.has(group) || platform.has(group)) continue;
        const crd = renderedCrds.get(`${group}/${object.kind}`);
        if (crd) {
            if (!dependsOn(urn).has(crd)) findings.push(missingDependency(object, `its CRD (rendered as ${crd.split("::").pop()})`));
            continue;
        }
        const chart = charts.find((c) => c.crdGroups.includes(group));
        if (chart) {
            if (!dependsOn(urn).has(chart.urn)) findings.push(missingDependency(object, `the ${chart.chart} install that brings its CRD`));
            continue;
        }
        if (declared.has(group)) {
            if (facts.clusterCreatedByStack) {
                findings.push({
                    severity: "error",
                    rule: "crds",
                    object: objectRef(object),
                    message: `its API group ${group} is declared in \`preinstalled.crdGroups\`, but the stack creates this cluster, so no CRD exists before the first \`up\`; install the chart that provides it as an add-on.`,
                });
            }
            continue;
        }
        findings.push({
            severity: "error",
            rule: "crds",
            object: objectRef(object),
            message: `no CRD for ${object.apiVersion} ${object.kind}: the stack neither renders it nor installs a chart that brings it${facts.clusterCreatedByStack ? "" : ", and `preinstalled.crdGroups` does not list " + group}; the API server answers "no matches for kind". Enable the add-on that provides it${facts.clusterCreatedByStack ? "" : ", or declare the group"}.`,
        });
    }
    return findings;
}

function missingDependency(object: KubernetesObject, what: string): Finding {
    return {
        severity: "error",
        rule: "crds",
        object: objectRef(object),
        message: `does not depend on ${what}; the engine may create it first and the API server answers "no matches for kind". Add the chart to its \`dependsOn\` (the services take \`crdsReady\`).`,
    };
}
