/**
 * Rule `connectivity`: the rendered NetworkPolicies (and CiliumNetworkPolicies) let every
 * service reach what its config says it talks to, and let in what must reach it: the ingress
 * controller on every routed Service's pods, Prometheus on every monitored pod. Kubernetes
 * semantics: a pod selected by a policy of a direction is default-deny in that direction, and
 * the allowed set is the union of the policies' rules; a connection needs egress at the source
 * and ingress at the destination (kubernetes.io/docs/concepts/services-networking/network-policies).
 * The evaluator is tools/connectivity, the one `npm run connectivity` uses.
 */
import { formatIpv4, ipv4Range } from "../../components/core/cidr";
import { placeEndpoint, type EndpointPlacement } from "../../components/network-policy/endpoints";
import { arrayAt, objectAt, stringAt } from "../../policies/rules/values";
import { allowedConnections, buildNetwork, type Endpoint, type Network, type Workload } from "../connectivity/index";
import type { KubernetesObject } from "../render/manifests";
import type { InstalledChart } from "./charts";
import type { Dependency } from "./dependencies";
import type { ConnectivityFacts, ExternalPod, ReadinessFacts } from "./facts";
import { objectRef, type Finding } from "./findings";
import { unroutable } from "./azure";
import { ObjectIndex } from "./object-index";

/** Stands for any public address: a public host's address is not known offline. */
export const PUBLIC_ADDRESS_PROBE = "20.0.0.1";

function firstAddress(cidr: string): string {
    const range = ipv4Range(cidr);
    if (!range) throw new Error(`not a canonical IPv4 CIDR: ${cidr}`);
    // Azure keeps the first four addresses of a subnet; the first one a host gets is .4.
    return formatIpv4(range.first + (range.prefix <= 29 ? 4 : 0));
}

interface Destination {
    endpoint: Endpoint;
    port: number;
    protocol: "TCP" | "UDP";
    describe: string;
}

function podsOfService(index: ObjectIndex, net: Network, namespace: string, service: string, port: number): Destination[] | undefined {
    const svc = index.get("Service", namespace, service);
    if (!svc) return undefined;
    const spec = objectAt(svc["spec"]) ?? {};
    const selector = (objectAt(spec["selector"]) ?? {}) as Record<string, string>;
    const servicePort = arrayAt(spec["ports"])
        .map((p) => objectAt(p) ?? {})
        .find((p) => p["port"] === port);
    if (!servicePort || Object.keys(selector).length === 0) return undefined;
    const target = (servicePort["targetPort"] as number | string | undefined) ?? port;
    return net.workloads
        .filter((w) => w.namespace === namespace && Object.entries(selector).every(([k, v]) => w.podLabels[k] === v))
        .map((w) => {
            const containerPort = typeof target === "number" ? target : w.ports.find((p) => p.name === target)?.containerPort;
            return {
                endpoint: { workload: w },
                port: containerPort ?? -1,
                protocol: "TCP" as const,
                describe: `${service}.${namespace} (${objectRef({ kind: w.kind, metadata: { name: w.name, namespace } })})`,
            };
        });
}

function destinations(dep: Dependency, from: Workload, facts: ConnectivityFacts, net: Network, index: ObjectIndex): Destination[] {
    const need = dep.need;
    switch (need.kind) {
        case "dns":
            return (["UDP", "TCP"] as const).map((protocol) => ({
                endpoint: { pod: facts.dns },
                port: 53,
                protocol,
                describe: `cluster DNS (${protocol} 53)`,
            }));
        case "apiServer":
            return facts.apiServer.ports.map((port) => ({
                endpoint: { apiServer: { ips: facts.apiServer.ips } },
                port,
                protocol: "TCP",
                describe: `the Kubernetes API on ${port}`,
            }));
        case "cidr":
            return [{ endpoint: { ip: firstAddress(need.cidr) }, port: need.port, protocol: "TCP", describe: `${need.cidr} on ${need.port}` }];
        case "pods":
            return [
                {
                    endpoint: { pod: { namespace: need.namespace ?? from.namespace, labels: need.labels } },
                    port: need.port,
                    protocol: "TCP",
                    describe: `pods ${JSON.stringify(need.labels)} in ${need.namespace ?? from.namespace} on ${need.port}`,
                },
            ];
        case "url": {
            let place: EndpointPlacement;
            try {
                place = placeEndpoint(need.url, { platformDomain: facts.platformDomain, outsideCluster: need.override.outsideCluster });
            } catch {
                return []; // the config check reports a URL no rule can be derived from
            }
            const port = need.override.targetPort ?? place.port;
            if (place.kind === "pod") return [];
            if (place.kind === "address") return [{ endpoint: { ip: place.host }, port, protocol: "TCP", describe: `${place.host}:${port}` }];
            if (place.kind === "outside") {
                const ip = need.override.cidr ? firstAddress(need.override.cidr) : PUBLIC_ADDRESS_PROBE;
                return [
                    {
                        endpoint: { ip },
                        port,
                        protocol: "TCP",
                        describe: `${place.host}:${port}${need.override.cidr ? ` (${need.override.cidr})` : " (a public address)"}`,
                    },
                ];
            }
            const namespace = place.namespace ?? from.namespace;
            // A Service the stack renders: its pods, on the targetPort. Otherwise pods of that namespace we know nothing else of.
            const rendered = podsOfService(index, net, namespace, place.service, place.port);
            if (rendered && rendered.length > 0) return need.override.targetPort ? rendered.map((d) => ({ ...d, port: need.override.targetPort! })) : rendered;
            return [
                {
                    endpoint: { pod: { namespace, labels: need.override.podSelector ?? {} } },
                    port,
                    protocol: "TCP",
                    describe: `${place.service}.${namespace}:${port}`,
                },
            ];
        }
    }
}

function workloadObject(w: Workload): string {
    return `${w.kind}/${w.namespace}/${w.name}`;
}

export function connectivityFindings(
    objects: readonly KubernetesObject[],
    charts: readonly InstalledChart[],
    facts: ReadinessFacts,
    index = new ObjectIndex(objects),
): Finding[] {
    const connectivity = facts.connectivity;
    const net = buildNetwork(objects, { cni: facts.cni });
    const findings: Finding[] = [];
    const cni = facts.cni === "cilium" ? " (on Cilium, the policies of both kinds)" : "";
    for (const service of connectivity.needs) {
        const workloads = net.workloads.filter((w) => service.instances.includes(w.podLabels["app.kubernetes.io/instance"] ?? ""));
        for (const from of workloads) {
            for (const dep of service.dependencies) {
                for (const to of destinations(dep, from, connectivity, net, index)) {
                    if (to.port < 0) continue; // an unresolved named port: the routing rule reports it
                    if ("ip" in to.endpoint && unroutable(to.endpoint.ip, facts)) {
                        findings.push({
                            severity: "error",
                            rule: "connectivity",
                            object: workloadObject(from),
                            message: `cannot reach ${to.describe}, which ${dep.what} names: it is a private address outside the stack's virtual network (${connectivity.routableRanges.join(", ") || "none"}), so no route leads there. Use the stack's own database, or peer that network and add its range to \`azure.network.peeredRanges\`.`,
                        });
                        continue;
                    }
                    if (allowedConnections(net, { workload: from }, to.endpoint).allows(to.protocol, to.port)) continue;
                    findings.push({
                        severity: "error",
                        rule: "connectivity",
                        object: workloadObject(from),
                        message: `cannot reach ${to.describe}, which ${dep.what} names: the network policies${cni} drop it. Allow it in \`${service.service}.networkPolicy\` (an endpoint override or an extra egress peer).`,
                    });
                }
            }
        }
    }
    findings.push(...controllerFindings(charts, connectivity, net, index), ...prometheusFindings(connectivity, net, index));
    return findings;
}

/** The ingress controller's pods: from the chart the stack installs, else as the config declares. */
function controllerPods(charts: readonly InstalledChart[], connectivity: ConnectivityFacts): ExternalPod[] {
    const installed = charts.filter((c) => c.controllerPodLabels && c.namespace).map((c) => ({ namespace: c.namespace!, labels: c.controllerPodLabels! }));
    return installed.length > 0 ? installed : connectivity.ingressController ? [connectivity.ingressController] : [];
}

function routedServices(index: ObjectIndex): { route: KubernetesObject; namespace: string; service: string; port: number }[] {
    const routed: { route: KubernetesObject; namespace: string; service: string; port: number }[] = [];
    for (const ingress of index.ofKind("Ingress")) {
        const spec = objectAt(ingress["spec"]) ?? {};
        for (const rule of arrayAt(spec["rules"])) {
            for (const path of arrayAt(objectAt(objectAt(rule)?.["http"])?.["paths"])) {
                const service = objectAt(objectAt(objectAt(path)?.["backend"])?.["service"]);
                const name = stringAt(service?.["name"]);
                const port = objectAt(service?.["port"])?.["number"];
                if (name && typeof port === "number") routed.push({ route: ingress, namespace: ingress.metadata.namespace!, service: name, port });
            }
        }
    }
    for (const route of index.ofKind("HTTPRoute")) {
        for (const rule of arrayAt(objectAt(route["spec"])?.["rules"])) {
            for (const backend of arrayAt(objectAt(rule)?.["backendRefs"]).map((b) => objectAt(b) ?? {})) {
                const name = stringAt(backend["name"]);
                if (name && typeof backend["port"] === "number" && (stringAt(backend["kind"]) ?? "Service") === "Service") {
                    routed.push({ route, namespace: stringAt(backend["namespace"]) ?? route.metadata.namespace!, service: name, port: backend["port"] });
                }
            }
        }
    }
    return routed;
}

function controllerFindings(charts: readonly InstalledChart[], connectivity: ConnectivityFacts, net: Network, index: ObjectIndex): Finding[] {
    const controllers = controllerPods(charts, connectivity);
    if (controllers.length === 0) return [];
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const { route, namespace, service, port } of routedServices(index)) {
        for (const to of podsOfService(index, net, namespace, service, port) ?? []) {
            const key = `${objectRef(route)}|${to.describe}|${to.port}`;
            if (to.port < 0 || seen.has(key)) continue;
            seen.add(key);
            const admitted = controllers.some((pod) => allowedConnections(net, { pod }, to.endpoint).allows("TCP", to.port));
            if (admitted) continue;
            const where = controllers.map((c) => `${c.namespace} ${JSON.stringify(c.labels)}`).join(", ");
            findings.push({
                severity: "error",
                rule: "connectivity",
                object: objectRef(route),
                message: `routes to ${to.describe} on ${to.port}, but the network policies do not admit the ingress controller (${where}) there; every request times out.`,
            });
        }
    }
    return findings;
}

function prometheusFindings(connectivity: ConnectivityFacts, net: Network, index: ObjectIndex): Finding[] {
    const prometheus = connectivity.prometheus;
    if (!prometheus) return [];
    const findings: Finding[] = [];
    for (const monitor of index.ofKind("ServiceMonitor")) {
        const spec = objectAt(monitor["spec"]) ?? {};
        const selector = (objectAt(objectAt(spec["selector"])?.["matchLabels"]) ?? {}) as Record<string, string>;
        const namespace = monitor.metadata.namespace!;
        const services = index
            .ofKind("Service")
            .filter((s) => s.metadata.namespace === namespace && Object.entries(selector).every(([k, v]) => s.metadata.labels?.[k] === v));
        for (const endpoint of arrayAt(spec["endpoints"]).map((e) => objectAt(e) ?? {})) {
            const portName = stringAt(endpoint["port"]);
            for (const svc of services) {
                const servicePort = arrayAt(objectAt(svc["spec"])?.["ports"])
                    .map((p) => objectAt(p) ?? {})
                    .find((p) => p["name"] === portName);
                if (!servicePort) continue;
                for (const to of podsOfService(index, net, namespace, svc.metadata.name, servicePort["port"] as number) ?? []) {
                    if (to.port < 0 || allowedConnections(net, { pod: prometheus }, to.endpoint).allows("TCP", to.port)) continue;
                    findings.push({
                        severity: "error",
                        rule: "connectivity",
                        object: objectRef(monitor),
                        message: `Prometheus (${prometheus.namespace} ${JSON.stringify(prometheus.labels)}) cannot scrape ${to.describe} on ${to.port}: the network policies drop it, so its alerts never fire.`,
                    });
                }
            }
        }
    }
    return findings;
}
