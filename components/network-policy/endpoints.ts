/**
 * Egress derived from what a service is configured to talk to: every URL setting (Supabase,
 * OPENAI_API_BASE, Langfuse, LangSmith, the Hypha server, OIDC, Prometheus, ...) yields the
 * egress rule that lets the service reach it, so no hand-typed CIDR or selector has to agree
 * with a URL elsewhere in the config. One pure function for every service; the table is in
 * docs/network-policy.md.
 *
 * Where a host name points, as the pod's resolver reads it (Kubernetes "DNS for Services and
 * Pods": a query for `data.prod` finds Service `data` in namespace `prod`; names with fewer than
 * five dots are tried against the search list `<ns>.svc.cluster.local svc.cluster.local
 * cluster.local` first, ndots:5):
 * - `svc`                                  -> the Service `svc` in the service's own namespace;
 * - `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local` (and `pod.svc.ns.svc...`) -> namespace `ns`;
 * - `localhost`, 127.0.0.0/8, `[::1]`      -> the pod itself: loopback never leaves the pod;
 * - an IPv4 literal                        -> that address (/32);
 * - any other name                         -> outside the cluster: public addresses only.
 * A host under the platform domain is always outside (it is the platform's public name), so
 * `https://{domain}/api` with domain `example.com` is not read as Service `example` in `com`.
 *
 * Ports: the URL's, else the scheme's (http/ws 80, https/wss 443, postgres 5432, mysql 3306,
 * redis 6379). For an in-cluster Service that is the Service port, but a NetworkPolicy port is a
 * port of the pod (NetworkPolicyPort, Kubernetes API reference): a policy applies to the
 * connection with the pod, after the Service's translation (Kubernetes docs, "Network
 * Policies"). When the two differ (vLLM's Service on 80 in front of its pods on 8000), the stack
 * file states the pods' port in `<service>.networkPolicy.endpoints.<name>.targetPort`.
 */
import { addressInCidr } from "../core/cidr";
import { type ConfigProblem, keyPath } from "../core/problems";
import type { EgressPeer, EndpointOverride, Labels } from "./rules";

export type { EndpointOverride } from "./rules";

/** A URL setting of a service. */
export interface ServiceEndpoint {
    /** The setting's name: the key of its override in `<service>.networkPolicy.endpoints`. */
    name: string;
    /** The setting's key path from the stack config's root, for messages. */
    path: (string | number)[];
    /** The URL; unset settings are listed too (their names are valid override keys). `{domain}` is the platform domain. */
    url?: string;
}

export type EndpointPlacement =
    /** Loopback: the pod itself; no rule. */
    | { kind: "pod"; host: string; port: number }
    /** A Service (or a pod of a headless Service) in this cluster; `namespace` unset: the service's own. */
    | { kind: "service"; host: string; port: number; service: string; namespace?: string }
    /** An IPv4 literal. */
    | { kind: "address"; host: string; port: number; cidr: string }
    /** A name outside the cluster. */
    | { kind: "outside"; host: string; port: number };

export const DOMAIN_PLACEHOLDER = "{domain}";
export const CLUSTER_DOMAIN = "cluster.local";
export const NAMESPACE_LABEL = "kubernetes.io/metadata.name";

/** Default port of each scheme a setting may use. */
export const SCHEME_PORTS: Readonly<Record<string, number>> = {
    "http:": 80,
    "ws:": 80,
    "https:": 443,
    "wss:": 443,
    "postgres:": 5432,
    "postgresql:": 5432,
    "mysql:": 3306,
    "redis:": 6379,
    "rediss:": 6379,
};

export const ALLOWED_URL = `a URL with a host, of scheme ${Object.keys(SCHEME_PORTS)
    .map((s) => s.slice(0, -1))
    .join(", ")} or with an explicit :port`;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export interface PlacementOptions {
    /** Replaces `{domain}`; hosts under it are outside the cluster. */
    platformDomain?: string;
    /** `outsideCluster` of the endpoint's override. */
    outsideCluster?: boolean;
}

/** The URL with `{domain}` replaced; throws when the domain is needed but unknown. */
export function expandDomain(url: string, platformDomain: string | undefined): string {
    if (!url.includes(DOMAIN_PLACEHOLDER)) return url;
    if (platformDomain === undefined) {
        throw new Error(
            `'${url}' needs the platform domain for ${DOMAIN_PLACEHOLDER} (allowed: set \`platform.domain\`, or a URL without ${DOMAIN_PLACEHOLDER})`,
        );
    }
    return url.split(DOMAIN_PLACEHOLDER).join(platformDomain);
}

function underDomain(host: string, domain: string | undefined): boolean {
    if (!domain) return false;
    const d = domain.toLowerCase().replace(/\.$/, "");
    return host === d || host.endsWith(`.${d}`);
}

/** The in-cluster reading of a (lowercase, no trailing dot) name, or undefined when it is not one. */
function serviceOf(labels: string[], absolute: boolean): { service: string; namespace?: string } | undefined {
    if (!labels.every((label) => DNS_LABEL.test(label))) return undefined;
    // `<service>.<namespace>.svc[.cluster.local]`, or a headless Service's pod `<pod>.<service>.<namespace>.svc[...]`.
    for (const at of [2, 3]) {
        if (labels[at] !== "svc") continue;
        const rest = labels.slice(at + 1).join(".");
        if ((rest === "" && !absolute) || rest === CLUSTER_DOMAIN) return { service: labels[at - 2]!, namespace: labels[at - 1]! };
    }
    if (absolute) return undefined; // an absolute name skips the search list
    if (labels.length === 1) return { service: labels[0]! };
    if (labels.length === 2) return { service: labels[0]!, namespace: labels[1]! };
    return undefined;
}

/** Where a URL points and on which port; throws with a message for a URL no rule can be derived from. */
export function placeEndpoint(url: string, options: PlacementOptions = {}): EndpointPlacement {
    const text = expandDomain(url, options.platformDomain);
    let parsed: URL;
    try {
        parsed = new URL(text);
    } catch {
        throw new Error(`'${text}' is not a URL (allowed: ${ALLOWED_URL})`);
    }
    const raw = parsed.hostname.toLowerCase();
    if (raw === "") throw new Error(`'${text}' has no host (allowed: ${ALLOWED_URL})`);
    const defaultPort = SCHEME_PORTS[parsed.protocol];
    if (!parsed.port && defaultPort === undefined) {
        throw new Error(
            `'${text}': scheme '${parsed.protocol.slice(0, -1)}' has no known port, so the network policy cannot tell which to open (allowed: ${ALLOWED_URL})`,
        );
    }
    const port = parsed.port ? Number(parsed.port) : defaultPort!;
    if (raw.startsWith("[")) {
        if (raw === "[::1]") return { kind: "pod", host: raw, port };
        throw new Error(`'${text}': IPv6 addresses are not supported; the address rules are IPv4 only (allowed: a host name or an IPv4 address)`);
    }
    const ipv4 = IPV4.exec(raw);
    if (ipv4) {
        const octets = ipv4.slice(1, 5).map(Number);
        if (octets.some((o) => o > 255)) throw new Error(`'${text}' is not a valid IPv4 address`);
        if (octets[0] === 127) return { kind: "pod", host: raw, port };
        if (octets.every((o) => o === 0)) throw new Error(`'${text}': 0.0.0.0 is not a destination (allowed: a host name or an IPv4 address)`);
        return { kind: "address", host: raw, port, cidr: `${raw}/32` };
    }
    const absolute = raw.endsWith(".");
    const host = raw.replace(/\.$/, "");
    if (host === "localhost" || host.endsWith(".localhost")) return { kind: "pod", host, port };
    if (!options.outsideCluster && !underDomain(host, options.platformDomain)) {
        const inCluster = serviceOf(host.split("."), absolute);
        if (inCluster) return { kind: "service", host, port, ...inCluster };
    }
    return { kind: "outside", host, port };
}

// ---------------------------------------------------------------------------------------------

export interface EndpointContext {
    /** Replaces `{domain}`; hosts under it are outside the cluster. */
    platformDomain?: string;
    /** Pod and Service ranges: an address literal in them is refused (a NetworkPolicy sees pods, not ClusterIPs). */
    clusterCidrs: string[];
    /** The public addresses: 0.0.0.0/0 minus these ranges. */
    internetExcept: string[];
    /** Ports the service's internet rule already opens (none when it has no internet rule). */
    internetPorts: number[];
    /** `<service>.networkPolicy.endpoints`, and its key path for messages. */
    overrides: Readonly<Record<string, EndpointOverride>>;
    overridesPath: (string | number)[];
}

export interface DerivedEgress {
    /** Deduplicated and sorted: selector peers first, then address peers, ports ascending. */
    peers: EgressPeer[];
    /** Key paths from the stack config's root. */
    problems: ConfigProblem[];
}

/** Stable key of a label map (sorted keys), for grouping. */
const labelsKey = (labels: Labels | undefined) =>
    labels
        ? JSON.stringify(
              Object.keys(labels)
                  .sort()
                  .map((k) => [k, labels[k]]),
          )
        : "";

/**
 * The egress peers of a service's endpoints: one per destination, with every port it is
 * reached on. Endpoints the internet rule already covers add nothing; loopback adds nothing.
 */
export function deriveEndpointEgress(endpoints: readonly ServiceEndpoint[], ctx: EndpointContext): DerivedEgress {
    const problems: ConfigProblem[] = [];
    const names = endpoints.map((e) => e.name);
    for (const name of Object.keys(ctx.overrides).sort()) {
        const endpoint = endpoints.find((e) => e.name === name);
        if (!endpoint) {
            problems.push({
                path: [...ctx.overridesPath, name],
                message: `is not an endpoint of this service (allowed: ${names.length ? names.join(", ") : "none: it has no URL settings"})`,
            });
        } else if (endpoint.url === undefined) {
            problems.push({
                path: [...ctx.overridesPath, name],
                message: `is set but \`${keyPath(endpoint.path)}\` is not (allowed: remove it, or set the URL)`,
            });
        }
    }

    const selectors = new Map<string, { peer: EgressPeer; ports: Set<number> }>();
    const addresses = new Map<string, { peer: EgressPeer; ports: Set<number> }>();
    const add = (into: typeof selectors, key: string, peer: Omit<EgressPeer, "ports">, port: number) => {
        const entry = into.get(key) ?? { peer: { ...peer, ports: [] }, ports: new Set<number>() };
        entry.ports.add(port);
        into.set(key, entry);
    };

    for (const endpoint of endpoints) {
        if (endpoint.url === undefined) continue;
        const override = ctx.overrides[endpoint.name] ?? {};
        const overridePath = [...ctx.overridesPath, endpoint.name];
        let place: EndpointPlacement;
        try {
            place = placeEndpoint(endpoint.url, { platformDomain: ctx.platformDomain, outsideCluster: override.outsideCluster });
        } catch (err) {
            problems.push({ path: endpoint.path, message: (err as Error).message });
            continue;
        }
        const misplaced = (key: keyof EndpointOverride, why: string) =>
            problems.push({ path: [...overridePath, key], message: `is not used: ${why} (allowed: remove it)` });
        const port = override.targetPort ?? place.port;
        switch (place.kind) {
            case "pod":
                for (const key of Object.keys(override) as (keyof EndpointOverride)[])
                    misplaced(key, `'${place.host}' is the pod itself (loopback), which no policy restricts`);
                break;
            case "service": {
                if (override.cidr !== undefined) {
                    misplaced(
                        "cidr",
                        `'${place.host}' is a Service of this cluster, reached at its pods' addresses (use \`podSelector\`, or \`outsideCluster\` for a name outside the cluster)`,
                    );
                }
                // No namespace in the name: the policy's own namespace, which a peer with only a pod selector means.
                const peer: Omit<EgressPeer, "ports"> = place.namespace
                    ? { namespaceSelector: { [NAMESPACE_LABEL]: place.namespace }, ...(override.podSelector ? { podSelector: override.podSelector } : {}) }
                    : { podSelector: override.podSelector ?? {} };
                add(selectors, `${place.namespace ?? ""}|${labelsKey(override.podSelector)}`, peer, port);
                break;
            }
            case "address": {
                if (override.podSelector) misplaced("podSelector", `'${place.host}' is an address, not a Service of this cluster`);
                if (override.cidr !== undefined) misplaced("cidr", `'${place.host}' is an address already`);
                const inside = ctx.clusterCidrs.find((range) => addressInCidr(place.host, range));
                if (inside) {
                    problems.push({
                        path: endpoint.path,
                        message: `'${place.host}' lies in the cluster's range ${inside}: pod and Service addresses change and a NetworkPolicy never sees a Service's address (allowed: the Service's name, \`<service>.<namespace>\`)`,
                    });
                    break;
                }
                add(addresses, place.cidr, { cidr: place.cidr }, port);
                break;
            }
            case "outside":
                if (override.podSelector) misplaced("podSelector", `'${place.host}' is outside the cluster`);
                if (override.cidr !== undefined) add(addresses, override.cidr, { cidr: override.cidr }, port);
                else if (!ctx.internetPorts.includes(port))
                    add(addresses, `0.0.0.0/0|${ctx.internetExcept.join(",")}`, { cidr: "0.0.0.0/0", except: [...ctx.internetExcept] }, port);
                break;
        }
    }

    const peersOf = (groups: typeof selectors) =>
        [...groups.entries()]
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([, { peer, ports }]) => ({ ...peer, ports: [...ports].sort((a, b) => a - b).map((p) => ({ port: p, protocol: "TCP" as const })) }));
    return { peers: [...peersOf(selectors), ...peersOf(addresses)], problems };
}
