/**
 * Where the Hypha server is, read from its URL: the port the worker connects to, and whether
 * it is a Service of this cluster (`<service>.<namespace>.svc[.<cluster domain>]`) or an
 * address outside it. The network policy and the connection probe are derived from this.
 */
import { EgressPeer, NetworkPolicyClusterConfig, PRIVATE_RANGES, parseIpv4Cidr, strictlyInside } from "../network-policy";

export const SERVER_URL_SCHEMES = ["http:", "https:", "ws:", "wss:"] as const;

export type HyphaServer =
    /** A Service of this cluster, named in full. */
    | { kind: "service"; host: string; port: number; service: string; namespace: string }
    /** A name or address the network policy cannot place by itself: a short Service name or a private IP. */
    | { kind: "unplaced"; host: string; port: number; reason: string }
    /** Somewhere on the internet. */
    | { kind: "external"; host: string; port: number };

const DEFAULT_PORTS: Record<string, number> = { "http:": 80, "ws:": 80, "https:": 443, "wss:": 443 };

/** Reads a server URL; throws when it is not an http(s)/ws(s) URL. */
export function parseHyphaServerUrl(text: string): HyphaServer {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        throw new Error(`'${text}' is not a URL`);
    }
    if (!(SERVER_URL_SCHEMES as readonly string[]).includes(url.protocol)) {
        throw new Error(`'${url.protocol}' is not allowed (allowed: ${SERVER_URL_SCHEMES.map((s) => s.slice(0, -1)).join(", ")})`);
    }
    const host = url.hostname.toLowerCase();
    const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol]!;
    const labels = host.split(".");
    if (labels.length >= 3 && labels[2] === "svc") return { kind: "service", host, port, service: labels[0]!, namespace: labels[1]! };
    if (labels.length === 1) return { kind: "unplaced", host, port, reason: "a short Service name (its namespace is not in the URL)" };
    if (parseIpv4Cidr(`${host}/32`) && PRIVATE_RANGES.some((range) => strictlyInside(`${host}/32`, range))) {
        return { kind: "unplaced", host, port, reason: "a private address" };
    }
    return { kind: "external", host, port };
}

/** The internet as the network policy building block defines it: everything but private and cluster ranges. */
export function internetExcept(cluster: NetworkPolicyClusterConfig): string[] {
    return [...new Set([...PRIVATE_RANGES, ...cluster.clusterCidrs.pods, ...cluster.clusterCidrs.services, ...cluster.internet.except])];
}

/**
 * The egress rule that lets the worker reach the server: an explicit peer from config wins;
 * otherwise the server's namespace (on the URL's port), or the internet on that port when
 * the service's internet rule does not already cover it. Throws for an unplaced server.
 */
export function serverEgress(
    server: HyphaServer,
    explicit: EgressPeer | undefined,
    cluster: NetworkPolicyClusterConfig,
    internetAllowed: boolean,
): EgressPeer[] {
    if (explicit) return [explicit];
    const ports = [{ port: server.port, protocol: "TCP" as const }];
    switch (server.kind) {
        case "service":
            // The policy sees the pod's port: equal to the Service port for the Hypha chart (9520).
            return [{ namespaceSelector: { "kubernetes.io/metadata.name": server.namespace }, ports }];
        case "external":
            if (internetAllowed && cluster.internet.ports.includes(server.port)) return [];
            return [{ cidr: "0.0.0.0/0", except: internetExcept(cluster), ports }];
        case "unplaced":
            throw new Error(`the Hypha server '${server.host}' is ${server.reason}`);
    }
}

/**
 * Ports a healthy worker holds an established connection to: the URL's port, plus the numeric
 * ports of an explicit peer (with a socket-level load balancer such as Cilium's, the socket
 * is connected to the pod's port rather than the Service's).
 */
export function serverPorts(server: HyphaServer, explicit: EgressPeer | undefined): number[] {
    const peerPorts = (explicit?.ports ?? []).map((p) => p.port).filter((p): p is number => typeof p === "number");
    return [...new Set([server.port, ...peerPorts])].sort((a, b) => a - b);
}
