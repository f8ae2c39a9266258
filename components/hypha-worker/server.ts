/**
 * Where the Hypha server is, read from its URL by the shared endpoint rules
 * (network-policy/endpoints.ts): the port the worker connects to, and whether it is a Service
 * of this cluster (`<service>[.<namespace>[.svc[.cluster.local]]]`), the pod itself, an address
 * or a name outside the cluster. The network policy and the connection probe are derived from it.
 */
import type { EgressPeer, ServiceEndpoint } from "../network-policy";
import { EndpointPlacement, placeEndpoint } from "../network-policy/endpoints";

export const SERVER_URL_SCHEMES = ["http:", "https:", "ws:", "wss:"] as const;

export type HyphaServer = EndpointPlacement;

/** Reads a server URL; throws when it is not an http(s)/ws(s) URL with a host. */
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
    return placeEndpoint(text);
}

/** The worker's one URL setting, for the derived egress rule (none when `hypha.serverEgress` replaces it). */
export function hyphaServerEndpoints(serverUrl: string): ServiceEndpoint[] {
    return [{ name: "serverUrl", path: ["hyphaWorker", "hypha", "serverUrl"], url: serverUrl }];
}

/**
 * Ports a healthy worker holds an established connection to: the URL's port, plus the numeric
 * ports of an explicit peer and the endpoint's `targetPort` (with a socket-level load balancer
 * such as Cilium's, the socket is connected to the pod's port rather than the Service's).
 */
export function serverPorts(server: HyphaServer, explicit: EgressPeer | undefined, targetPort?: number): number[] {
    const peerPorts = (explicit?.ports ?? []).map((p) => p.port).filter((p): p is number => typeof p === "number");
    return [...new Set([server.port, ...peerPorts, ...(targetPort !== undefined ? [targetPort] : [])])].sort((a, b) => a - b);
}
