/**
 * What each service must reach, read from the stack config (not from the policies the stack
 * renders): its URL settings, its database, DNS and the Kubernetes API. The readiness pass then
 * asks the NetworkPolicy evaluator whether the rendered policies allow each of them.
 */
import { keyPath } from "../../components/core/problems";
import type { StackConfig } from "../../components/config";
import { runtimeEndpoints } from "../../components/agent-runtime";
import { backendEndpoints } from "../../components/agent-backend/endpoints";
import { apiEndpoints } from "../../components/ai-agents/network-policies";
import { hyphaServerEndpoints } from "../../components/hypha-worker/server";
import type { ServiceEndpoint } from "../../components/network-policy";
import type { EndpointOverride } from "../../components/network-policy/endpoints";

/** A destination by what the config says about it. */
export type Need =
    | { kind: "url"; url: string; override: EndpointOverride }
    /** Addresses outside the cluster (a database range, the stack's MySQL subnet). */
    | { kind: "cidr"; cidr: string; port: number }
    /** Pods in the cluster chosen by selectors (an in-cluster database). */
    | { kind: "pods"; namespace?: string; labels: Record<string, string>; port: number }
    | { kind: "dns" }
    | { kind: "apiServer" };

export interface Dependency {
    /** The config key that names it, for messages. */
    what: string;
    need: Need;
}

export interface ServiceNeeds {
    /** The service's config block, e.g. `agentRuntime`. */
    service: string;
    /** `app.kubernetes.io/instance` of the workloads that have these needs. */
    instances: string[];
    dependencies: Dependency[];
}

function urlNeeds(endpoints: readonly ServiceEndpoint[], overrides: Record<string, EndpointOverride> = {}): Dependency[] {
    return endpoints
        .filter((e): e is ServiceEndpoint & { url: string } => e.url !== undefined)
        .map((e) => ({ what: keyPath(e.path), need: { kind: "url", url: e.url, override: overrides[e.name] ?? {} } }));
}

function selectorNamespace(selector: Record<string, string> | undefined): string | undefined {
    return selector?.["kubernetes.io/metadata.name"];
}

const DNS: Dependency = { what: "cluster DNS", need: { kind: "dns" } };
const API_SERVER: Dependency = { what: "the Kubernetes API", need: { kind: "apiServer" } };

export function serviceNeeds(config: StackConfig): ServiceNeeds[] {
    const needs: ServiceNeeds[] = [];
    const stackMysql = config.cluster.target === "aks" && config.azure.mysql.enabled ? config.azure.network.subnets.mysql : undefined;
    const runtime = config.agentRuntime;
    if (runtime.enabled && runtime.networkPolicy.enabled) {
        const deps = [DNS, ...urlNeeds(runtimeEndpoints(runtime), runtime.networkPolicy.endpoints)];
        const db = runtime.database;
        if (db?.cidr) deps.push({ what: "agentRuntime.database.cidr", need: { kind: "cidr", cidr: db.cidr, port: db.port } });
        else if (db?.namespaceSelector || db?.podSelector) {
            deps.push({
                what: "agentRuntime.database",
                need: { kind: "pods", namespace: selectorNamespace(db.namespaceSelector), labels: db.podSelector ?? {}, port: db.port },
            });
        }
        needs.push({ service: "agentRuntime", instances: [runtime.name], dependencies: deps });
    }
    const backend = config.agentBackend;
    if (backend.enabled && backend.networkPolicy.enabled) {
        const db = backend.database;
        const deps: Dependency[] = [DNS];
        if (db.host === undefined && stackMysql)
            deps.push({ what: "azure.network.subnets.mysql (the stack's MySQL)", need: { kind: "cidr", cidr: stackMysql, port: 3306 } });
        else if (db.cidr) deps.push({ what: "agentBackend.database.cidr", need: { kind: "cidr", cidr: db.cidr, port: db.port } });
        else if (db.namespaceSelector || db.podSelector) {
            deps.push({
                what: "agentBackend.database",
                need: { kind: "pods", namespace: selectorNamespace(db.namespaceSelector), labels: db.podSelector ?? {}, port: db.port },
            });
        } else if (db.host) deps.push({ what: "agentBackend.database.host", need: { kind: "url", url: `mysql://${db.host}:${db.port}`, override: {} } });
        // The migration (an init container of the backend's pods, or its own Job) needs DNS and the database; the server also its URLs.
        needs.push({ service: "agentBackend", instances: [`${backend.name}-migration`], dependencies: deps });
        needs.push({
            service: "agentBackend",
            instances: [backend.name],
            dependencies: [...deps, ...urlNeeds(backendEndpoints(backend), backend.networkPolicy.endpoints)],
        });
    }
    const worker = config.hyphaWorker;
    if (worker.enabled && worker.networkPolicy.enabled) {
        needs.push({
            service: "hyphaWorker",
            instances: [worker.name],
            dependencies: [DNS, API_SERVER, ...urlNeeds(hyphaServerEndpoints(worker.hypha.serverUrl))],
        });
    }
    const agents = config.aiAgents;
    if (agents.enabled && agents.networkPolicy.api.enabled) {
        needs.push({
            service: "aiAgents",
            instances: [`${agents.name}-api`],
            dependencies: [DNS, API_SERVER, ...urlNeeds(apiEndpoints(agents), agents.networkPolicy.api.endpoints)],
        });
    }
    return needs;
}
