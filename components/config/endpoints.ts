/**
 * Every service's URL settings and the endpoint rules over them, checked for the whole stack by
 * the stack schema, so a URL no egress rule can be derived from (or an override of an endpoint
 * the service does not have) is reported with every other config error, before any resource.
 * The components derive the same rules again from the same lists (network-policy/endpoints.ts).
 */
import { runtimeEndpoints } from "../agent-runtime";
import { backendEndpoints } from "../agent-backend/endpoints";
import { apiEndpoints } from "../ai-agents/network-policies";
import type { StackConfig } from "./blocks";
import { hyphaServerEndpoints } from "../hypha-worker/server";
import { endpointEgress, NetworkPolicyClusterConfig, ServiceEndpoint, ServiceNetworkPolicyConfig } from "../network-policy";
import type { ConfigProblem } from "../core/problems";
import { DOMAIN_PLACEHOLDER } from "../network-policy/endpoints";

type ServiceBlocks = Pick<StackConfig, "agentRuntime" | "agentBackend" | "hyphaWorker" | "aiAgents">;

interface PolicyEndpoints {
    /** Key path of the service's network policy block, e.g. `agentRuntime.networkPolicy`. */
    servicePath: string;
    service: ServiceNetworkPolicyConfig;
    endpoints: ServiceEndpoint[];
}

/** The policies of the enabled services, with the URL settings each derives egress from. */
export function servicePolicyEndpoints(config: Partial<ServiceBlocks>): PolicyEndpoints[] {
    const out: PolicyEndpoints[] = [];
    const { agentRuntime, agentBackend, hyphaWorker, aiAgents } = config;
    // The stack schema calls this even when a block failed to parse: a block that is not whole is skipped (its own error is reported).
    const each = (build: () => void) => {
        try {
            build();
        } catch {
            // reported on the block
        }
    };
    if (agentRuntime?.enabled)
        each(() => out.push({ servicePath: "agentRuntime.networkPolicy", service: agentRuntime.networkPolicy, endpoints: runtimeEndpoints(agentRuntime) }));
    if (agentBackend?.enabled)
        each(() => out.push({ servicePath: "agentBackend.networkPolicy", service: agentBackend.networkPolicy, endpoints: backendEndpoints(agentBackend) }));
    // An explicit `hypha.serverEgress` replaces the derived rule, but the URL is still checked.
    if (hyphaWorker?.enabled)
        each(() =>
            out.push({
                servicePath: "hyphaWorker.networkPolicy",
                service: hyphaWorker.networkPolicy,
                endpoints: hyphaServerEndpoints(hyphaWorker.hypha.serverUrl),
            }),
        );
    if (aiAgents?.enabled) {
        each(() => {
            for (const [role, service] of Object.entries(aiAgents.networkPolicy)) {
                if (typeof service !== "object" || Array.isArray(service)) continue; // clientNamespaces
                out.push({ servicePath: `aiAgents.networkPolicy.${role}`, service, endpoints: role === "api" ? apiEndpoints(aiAgents) : [] });
            }
        });
    }
    return out.filter((p) => p.service?.enabled && typeof p.service.internet === "boolean");
}

/** Every endpoint problem of the stack (bad URLs, addresses in the cluster's ranges, stray overrides), with key paths from the root. */
export function stackEndpointProblems(
    config: Partial<ServiceBlocks>,
    cluster: NetworkPolicyClusterConfig,
    platformDomain: string | undefined,
): ConfigProblem[] {
    if (!cluster.enabled || !cluster.clusterCidrs || !cluster.internet) return [];
    const problems = servicePolicyEndpoints(config).flatMap((p) => {
        try {
            return endpointEgress({ cluster, service: p.service, endpoints: p.endpoints, platformDomain }, p.servicePath).problems;
        } catch {
            return []; // a block that did not parse: reported on it
        }
    });
    // A `{domain}` URL without `platform.domain` is reported by the service's own stack rules already.
    return platformDomain === undefined ? problems.filter((p) => !p.message.includes(`for ${DOMAIN_PLACEHOLDER}`)) : problems;
}
