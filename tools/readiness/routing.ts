/**
 * Rule `routing`: traffic from outside reaches a pod.
 * - Every Ingress class is served by a controller: an IngressClass the stack renders, one a chart
 *   it installs creates, or one declared for a kubeconfig cluster. The Kubernetes provider waits
 *   for an Ingress to get a load-balancer address and fails after 10 minutes (pulumi-kubernetes,
 *   provider/pkg/await: ingress await).
 * - Every HTTPRoute parent is a Gateway the stack renders (or one declared), whose GatewayClass
 *   a controller serves, with a listener that accepts the route (sectionName, allowedRoutes,
 *   hostnames: Gateway API v1 spec, "Attaching Routes to Gateways").
 * - Every cert-manager issuer named (Ingress/Gateway annotations, Certificate issuerRef, ACME
 *   solvers) exists.
 * - Every routed Service exists, has the port the route names, selects pods, and its targetPort
 *   resolves on them (a named targetPort that no container declares leaves the Service without
 *   endpoints: Kubernetes Service docs, "Port definitions").
 */
import { arrayAt, objectAt, stringAt } from "../../policies/rules/values";
import type { KubernetesObject } from "../render/manifests";
import type { InstalledChart } from "./charts";
import type { ReadinessFacts } from "./facts";
import { objectRef, type Finding } from "./findings";
import { ObjectIndex } from "./object-index";
import { renderedPods, selectedPods, type RenderedPods } from "./pods";

type Emit = (object: KubernetesObject, message: string, severity?: Finding["severity"]) => void;

function checkService(
    emit: Emit,
    route: KubernetesObject,
    index: ObjectIndex,
    pods: readonly RenderedPods[],
    facts: ReadinessFacts,
    name: string,
    port: number | string | undefined,
): void {
    const namespace = route.metadata.namespace;
    const service = index.get("Service", namespace, name);
    if (!service) {
        const declared = facts.declared.objects.some((d) => d.kind === "Service" && d.name === name && d.namespace === namespace);
        if (!declared || facts.clusterCreatedByStack)
            emit(
                route,
                `routes to Service ${namespace}/${name}, which the stack does not create${declared ? " (declared pre-existing, but the stack creates this cluster)" : ""}; the route has no backend.`,
            );
        return;
    }
    const spec = objectAt(service["spec"]) ?? {};
    const servicePorts = arrayAt(spec["ports"]).map((p) => objectAt(p) ?? {});
    const servicePort = port === undefined ? servicePorts[0] : servicePorts.find((p) => p["port"] === port || (typeof port === "string" && p["name"] === port));
    if (!servicePort) {
        emit(
            route,
            `routes to port ${port} of Service ${namespace}/${name}, which has ports ${servicePorts.map((p) => p["name"] ?? p["port"]).join(", ") || "none"}.`,
        );
        return;
    }
    const selector = objectAt(spec["selector"]) as Record<string, string> | undefined;
    const backends = selectedPods(pods, namespace, selector);
    if (backends.length === 0) {
        emit(
            route,
            `routes to Service ${namespace}/${name}, whose selector ${JSON.stringify(selector ?? {})} matches no pod the stack runs; the Service has no endpoints.`,
        );
        return;
    }
    const target = (servicePort["targetPort"] as number | string | undefined) ?? (servicePort["port"] as number);
    const resolves = (pod: RenderedPods) => pod.ports.some((p) => (typeof target === "string" ? p.name === target : p.containerPort === target));
    if (!backends.some(resolves)) {
        const named = typeof target === "string";
        emit(
            route,
            `Service ${namespace}/${name} targets port ${JSON.stringify(target)}, which no container of ${backends.map((b) => objectRef(b.workload)).join(", ")} declares${named ? "; the Service gets no endpoints" : ""}.`,
            named ? "error" : "warning",
        );
    }
}

function issuerExists(index: ObjectIndex, facts: ReadinessFacts, kind: string, namespace: string | undefined, name: string): boolean {
    if (index.has(kind, kind === "ClusterIssuer" ? undefined : namespace, name)) return true;
    if (facts.clusterCreatedByStack) return false;
    return facts.declared.issuers.some((i) => i.kind === kind && i.name === name && (kind === "ClusterIssuer" || i.namespace === namespace));
}

/** The issuer that cert-manager's ingress-shim / gateway-shim reads from annotations. */
function annotatedIssuer(object: KubernetesObject): { kind: string; name: string } | undefined {
    const annotations = object.metadata.annotations ?? {};
    if (annotations["cert-manager.io/cluster-issuer"]) return { kind: "ClusterIssuer", name: annotations["cert-manager.io/cluster-issuer"] };
    if (annotations["cert-manager.io/issuer"])
        return { kind: annotations["cert-manager.io/issuer-kind"] ?? "Issuer", name: annotations["cert-manager.io/issuer"] };
    return undefined;
}

function hostMatches(listener: string | undefined, host: string): boolean {
    if (!listener) return true;
    if (listener.startsWith("*.")) return host.endsWith(listener.slice(1)) && host.split(".").length > listener.split(".").length - 1;
    return listener === host;
}

function namespaceLabels(index: ObjectIndex, name: string | undefined): Record<string, string> {
    const labels = (index.get("Namespace", undefined, name ?? "")?.metadata.labels ?? {}) as Record<string, string>;
    return { ...labels, "kubernetes.io/metadata.name": name ?? "default" };
}

export function routingFindings(
    objects: readonly KubernetesObject[],
    charts: readonly InstalledChart[],
    facts: ReadinessFacts,
    index = new ObjectIndex(objects),
): Finding[] {
    const findings: Finding[] = [];
    const emit: Emit = (object, message, severity = "error") => findings.push({ severity, rule: "routing", object: objectRef(object), message });
    const pods = renderedPods(objects);
    const ingressClasses = new Set([...index.ofKind("IngressClass").map((c) => c.metadata.name), ...charts.flatMap((c) => c.ingressClasses)]);
    const gatewayClasses = new Set([...index.ofKind("GatewayClass").map((c) => c.metadata.name), ...charts.flatMap((c) => c.gatewayClasses)]);
    const declaredOnly = (list: readonly string[], name: string) => !facts.clusterCreatedByStack && list.includes(name);
    const checkIssuer = (object: KubernetesObject, kind: string, name: string, how: string) => {
        if (!issuerExists(index, facts, kind, object.metadata.namespace, name)) {
            emit(
                object,
                `${how} names ${kind} ${name}, which the stack does not create${facts.clusterCreatedByStack ? "" : " and `preinstalled.issuers` does not declare"}; no certificate is issued and TLS fails.`,
            );
        }
    };

    for (const ingress of index.ofKind("Ingress")) {
        const spec = objectAt(ingress["spec"]) ?? {};
        const className = stringAt(spec["ingressClassName"]) ?? ingress.metadata.annotations?.["kubernetes.io/ingress.class"];
        if (!className) emit(ingress, "has no ingress class; only a default IngressClass would serve it. Set the service's `ingress.className`.", "warning");
        else if (!ingressClasses.has(className) && !declaredOnly(facts.declared.ingressClasses, className)) {
            emit(
                ingress,
                `its class ${className} is served by no controller the stack installs${facts.clusterCreatedByStack ? "" : " or `preinstalled.ingressClasses` declares"}; it never gets an address and \`pulumi up\` fails after waiting 10 minutes for its load balancer.`,
            );
        }
        const issuer = annotatedIssuer(ingress);
        if (issuer) checkIssuer(ingress, issuer.kind, issuer.name, "its cert-manager annotation");
        const backends = [
            objectAt(spec["defaultBackend"]),
            ...arrayAt(spec["rules"]).flatMap((rule) => arrayAt(objectAt(objectAt(rule)?.["http"])?.["paths"]).map((p) => objectAt(objectAt(p)?.["backend"]))),
        ];
        for (const backend of backends) {
            const service = objectAt(backend?.["service"]);
            const name = stringAt(service?.["name"]);
            const port = objectAt(service?.["port"]);
            if (name) checkService(emit, ingress, index, pods, facts, name, (port?.["number"] as number | undefined) ?? stringAt(port?.["name"]));
        }
    }

    for (const gateway of index.ofKind("Gateway")) {
        const className = stringAt(objectAt(gateway["spec"])?.["gatewayClassName"]);
        if (className && !gatewayClasses.has(className) && !declaredOnly(facts.declared.gatewayClasses, className)) {
            emit(
                gateway,
                `its GatewayClass ${className} is served by no controller the stack installs${facts.clusterCreatedByStack ? "" : " or `preinstalled.gatewayClasses` declares"}; the Gateway is never programmed.`,
            );
        }
        const issuer = annotatedIssuer(gateway);
        if (issuer) checkIssuer(gateway, issuer.kind, issuer.name, "its cert-manager annotation");
        // With an issuer annotation, cert-manager's gateway-shim makes a Certificate per TLS
        // certificateRef (cert-manager docs, "Annotated Gateway resource").
        const certificates = new Set(
            index
                .ofKind("Certificate")
                .filter((c) => c.metadata.namespace === gateway.metadata.namespace)
                .map((c) => stringAt(objectAt(c["spec"])?.["secretName"])),
        );
        for (const listener of arrayAt(objectAt(gateway["spec"])?.["listeners"]).map((l) => objectAt(l) ?? {})) {
            for (const ref of arrayAt(objectAt(listener["tls"])?.["certificateRefs"]).map((r) => objectAt(r) ?? {})) {
                const name = stringAt(ref["name"]);
                const namespace = stringAt(ref["namespace"]) ?? gateway.metadata.namespace;
                if (!name || issuer || certificates.has(name) || index.has("Secret", namespace, name)) continue;
                emit(
                    gateway,
                    `listener ${String(listener["name"])} serves the certificate in Secret ${namespace}/${name}, which nothing creates (no cert-manager annotation on the Gateway, no Certificate, no Secret); HTTPS fails.`,
                );
            }
        }
    }

    for (const route of [...index.ofKind("HTTPRoute"), ...index.ofKind("GRPCRoute")]) {
        const spec = objectAt(route["spec"]) ?? {};
        const hostnames = arrayAt(spec["hostnames"]).filter((h): h is string => typeof h === "string");
        for (const parent of arrayAt(spec["parentRefs"]).map((p) => objectAt(p) ?? {})) {
            if ((stringAt(parent["kind"]) ?? "Gateway") !== "Gateway") continue;
            const namespace = stringAt(parent["namespace"]) ?? route.metadata.namespace;
            const name = stringAt(parent["name"]) ?? "";
            const gateway = index.get("Gateway", namespace, name);
            if (!gateway) {
                if (!(!facts.clusterCreatedByStack && facts.declared.gateways.some((g) => g.namespace === namespace && g.name === name))) {
                    emit(
                        route,
                        `its parent Gateway ${namespace}/${name} is not rendered by the stack${facts.clusterCreatedByStack ? "" : " nor declared in `preinstalled.gateways`"}; the route is never attached.`,
                    );
                }
                continue;
            }
            const section = stringAt(parent["sectionName"]);
            const listeners = arrayAt(objectAt(gateway["spec"])?.["listeners"])
                .map((l) => objectAt(l) ?? {})
                .filter((l) => section === undefined || l["name"] === section);
            if (listeners.length === 0) {
                emit(route, `names listener ${section} of Gateway ${namespace}/${name}, which has no such listener.`);
                continue;
            }
            const accepting = listeners.filter((listener) => {
                const from = stringAt(objectAt(objectAt(listener["allowedRoutes"])?.["namespaces"])?.["from"]) ?? "Same";
                if (from === "Same" && route.metadata.namespace !== namespace) return false;
                if (from === "Selector") {
                    const selector = (objectAt(objectAt(objectAt(listener["allowedRoutes"])?.["namespaces"])?.["selector"])?.["matchLabels"] ?? {}) as Record<
                        string,
                        string
                    >;
                    const labels = namespaceLabels(index, route.metadata.namespace);
                    if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
                }
                const listenerHost = stringAt(listener["hostname"]);
                return hostnames.length === 0 || hostnames.some((h) => hostMatches(listenerHost, h));
            });
            if (accepting.length === 0) {
                emit(
                    route,
                    `no listener of Gateway ${namespace}/${name}${section ? ` (section ${section})` : ""} accepts it: check the listener's allowedRoutes namespaces and hostname against the route's namespace ${route.metadata.namespace} and hostnames ${hostnames.join(", ") || "(any)"}.`,
                );
            }
        }
        for (const rule of arrayAt(spec["rules"]).map((r) => objectAt(r) ?? {})) {
            for (const backend of arrayAt(rule["backendRefs"]).map((b) => objectAt(b) ?? {})) {
                if ((stringAt(backend["kind"]) ?? "Service") !== "Service" || (stringAt(backend["group"]) ?? "") !== "") continue;
                const name = stringAt(backend["name"]);
                if (name) checkService(emit, route, index, pods, facts, name, backend["port"] as number | undefined);
            }
        }
    }

    for (const certificate of index.ofKind("Certificate")) {
        const ref = objectAt(objectAt(certificate["spec"])?.["issuerRef"]);
        const name = stringAt(ref?.["name"]);
        if (name) checkIssuer(certificate, stringAt(ref?.["kind"]) ?? "Issuer", name, "its issuerRef");
    }
    // ACME HTTP-01 through a Gateway: cert-manager attaches its solver route to these parents.
    for (const issuer of [...index.ofKind("ClusterIssuer"), ...index.ofKind("Issuer")]) {
        const solvers = arrayAt(objectAt(objectAt(issuer["spec"])?.["acme"])?.["solvers"]);
        for (const solver of solvers) {
            const parents = arrayAt(objectAt(objectAt(objectAt(solver)?.["http01"])?.["gatewayHTTPRoute"])?.["parentRefs"]);
            for (const parent of parents.map((p) => objectAt(p) ?? {})) {
                const namespace = stringAt(parent["namespace"]) ?? issuer.metadata.namespace;
                const name = stringAt(parent["name"]) ?? "";
                if (!index.has("Gateway", namespace, name))
                    emit(
                        issuer,
                        `its HTTP-01 solver attaches to Gateway ${namespace}/${name}, which the stack does not render; challenges are never answered.`,
                    );
            }
        }
    }
    return findings;
}
