/**
 * The worker's args resolved: its identity and image, the Hypha server and the egress to it, the
 * probe command, the jobs' Secret; and the worker's rules that need the rest of the stack.
 */
import { type ConfigProblem, throwProblems, under } from "../core/problems";
import { EgressPeer, endpointEgress } from "../network-policy";
import type { ServiceContext } from "../platform";
import { AppIdentity, imageReference } from "../pod";
import { resolveClaudeAgentSecret, ResolvedClaudeAgentSecret } from "./claude-agent-secret";
import { connectionCheckCommand } from "./probe";
import type { HyphaWorkerConfig } from "./schema";
import { HyphaServer, hyphaServerEndpoints, parseHyphaServerUrl, serverPorts } from "./server";

/** The platform's service context; the worker has no ingress, so `platformDomain` goes unused. */
export interface HyphaWorkerArgs extends ServiceContext {
    /** The worker's settings, validated and defaulted by `hyphaWorkerBlock`. */
    config: HyphaWorkerConfig;
}

export interface ResolvedHyphaWorker {
    identity: AppIdentity;
    image: string;
    server: HyphaServer;
    /** Where the network policy lets the worker connect to the server (none when the internet rule covers it). */
    serverEgress: EgressPeer[];
    /** The liveness/readiness/startup exec command. */
    probeCommand: string[];
    claudeAgentSecret: ResolvedClaudeAgentSecret;
    /** Create the NetworkPolicy (stack switch and the worker's own). */
    networkPolicy: boolean;
}

/**
 * The worker's rules that need a fact from the rest of the stack: the jobs' guard rails must not
 * land in the platform namespace or the Hypha server's. Paths relative to the `hyphaWorker` block;
 * the config layer runs them with the stack's namespace, the component with its own.
 */
export function hyphaWorkerProblems(worker: HyphaWorkerConfig, facts: { platformNamespace: string }): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const jobs = worker.jobs;
    const guardRails = [
        jobs.createNamespace && "createNamespace",
        jobs.resourceQuota.enabled && "resourceQuota",
        jobs.limitRange.enabled && "limitRange",
    ].filter(Boolean);
    let serverNamespace: string | undefined;
    try {
        const server = parseHyphaServerUrl(worker.hypha.serverUrl);
        // A bare Service name is in the worker's own (the platform) namespace.
        serverNamespace = server.kind === "service" ? (server.namespace ?? facts.platformNamespace) : undefined;
    } catch {
        // reported on the field
    }
    for (const [other, what] of [
        [facts.platformNamespace, "the platform namespace (`namespace.name`)"],
        [serverNamespace, "the Hypha server's namespace (`hyphaWorker.hypha.serverUrl`)"],
    ] as const) {
        if (other === jobs.namespace && guardRails.length > 0) {
            problems.push({
                path: ["jobs", "namespace"],
                message: `'${jobs.namespace}' is also ${what}: the jobs' guard rails (${guardRails.join(", ")}) would bind every pod there (allowed: a namespace of the jobs' own, e.g. hypha-jobs, or \`jobs.createNamespace\`, \`jobs.resourceQuota.enabled\` and \`jobs.limitRange.enabled\` false)`,
            });
        }
    }
    return problems;
}

export function resolveHyphaWorkerArgs(args: HyphaWorkerArgs): ResolvedHyphaWorker {
    const { config } = args;
    // A namespace known only at deploy time cannot be compared; "" matches no namespace.
    throwProblems(under(["hyphaWorker"], hyphaWorkerProblems(config, { platformNamespace: typeof args.namespace === "string" ? args.namespace : "" })));
    let server: HyphaServer;
    try {
        server = parseHyphaServerUrl(config.hypha.serverUrl);
    } catch (err) {
        throw new Error(`hyphaWorker.hypha.serverUrl: ${(err as Error).message}`, { cause: err });
    }
    const networkPolicy = args.networkPolicy.enabled && config.networkPolicy.enabled;
    const explicit = config.hypha.serverEgress;
    let egress: EgressPeer[] = [];
    if (networkPolicy) {
        // The server URL's rule by the shared endpoint rules; an explicit `serverEgress` replaces it.
        const derived = endpointEgress(
            {
                cluster: args.networkPolicy,
                service: config.networkPolicy,
                endpoints: hyphaServerEndpoints(config.hypha.serverUrl),
                platformDomain: args.platformDomain,
            },
            "hyphaWorker.networkPolicy",
        );
        throwProblems(derived.problems);
        egress = explicit ? [explicit] : derived.peers;
    }
    return {
        identity: { name: "hypha-k8s-worker", instance: config.name, component: "worker", version: config.image.tag },
        image: imageReference({
            registry: config.image.registry ?? args.images.registry,
            repository: config.image.repository,
            tag: config.image.tag,
            digest: config.image.digest,
        }),
        server,
        serverEgress: egress,
        probeCommand: connectionCheckCommand(
            serverPorts(server, explicit, config.networkPolicy.endpoints.serverUrl?.targetPort),
            args.networkPolicy.apiServer.cidrs,
        ),
        claudeAgentSecret: resolveClaudeAgentSecret(config.claudeAgent),
        networkPolicy,
    };
}
