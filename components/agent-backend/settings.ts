/**
 * The backend's settings: where its database is (the block's settings, or the stack's own MySQL
 * for what the block leaves out), the plain settings its ConfigMap holds, the Secret-backed
 * variables, and where the network policy lets it reach MySQL.
 */
import * as pulumi from "@pulumi/pulumi";
import type { EgressPeer, NetworkPolicyClusterConfig } from "../network-policy";
import { INTERNET_CIDR, PRIVATE_RANGES } from "../network-policy";
import { isIpv4Address } from "../core/cidr";
import { AgentBackendConfig, BackendSecretId } from "./schema";
import { DOMAIN_PLACEHOLDER } from "../ingress/schema";
import { EnvVar } from "../pod";
import { SecretRefs, SecretsConfig, secretEnv } from "../secrets";

/** A MySQL server the stack created (e.g. `AzureMysql.connection`). */
export interface StackDatabase {
    host: pulumi.Input<string>;
    port: number;
    database: pulumi.Input<string>;
    username: pulumi.Input<string>;
    /** Kept secret whatever is passed; lands in a Secret this stack owns (or in its Key Vault, see `passwordRemoteKey`). */
    password: pulumi.Input<string>;
    /**
     * The stack wrote the password into its Key Vault under this name: with `secrets.mode: external`
     * the backend reads it there through its ExternalSecret, with its other values.
     */
    passwordRemoteKey?: string;
    /** Where the server is reachable, for the NetworkPolicy. @default the internet (public addresses) on `port` */
    egress?: EgressPeer;
}

export interface ResolvedDatabase {
    host: pulumi.Input<string>;
    port: number;
    name: pulumi.Input<string>;
    username: pulumi.Input<string>;
    /** The password comes from the stack's server, not from `secrets.databasePassword`. */
    passwordFromStack: boolean;
    /** Where MySQL is, for the network policy. */
    egress: EgressPeer;
}

/** Plain variable names, as the chart names them. */
export const SETTINGS_ENV = {
    port: "AGENT_BACKEND_PORT",
    platformApiUrl: "SEQERA_PLATFORM_API_URL",
    mcpUrl: "SEQERA_MCP_URL",
    anthropicModel: "ANTHROPIC_MODEL",
    dbHost: "AGENT_BACKEND_DB_HOST",
    dbPort: "AGENT_BACKEND_DB_PORT",
    dbName: "AGENT_BACKEND_DB_NAME",
    dbUser: "AGENT_BACKEND_DB_USER",
    environment: "ENVIRONMENT",
    logLevel: "LOG_LEVEL",
} as const;

/** Secret-backed variables of the backend container. */
export const BACKEND_SECRET_ENV: Readonly<Record<string, BackendSecretId>> = {
    AGENT_BACKEND_DB_PASSWORD: "databasePassword",
    ANTHROPIC_API_KEY: "anthropicApiKey",
    LANGCHAIN_API_KEY: "langchainApiKey",
};

/** Only the database password: all the MySQL wait and the migration get. */
export const DATABASE_SECRET_ENV: Readonly<Record<string, BackendSecretId>> = { AGENT_BACKEND_DB_PASSWORD: "databasePassword" };

/** True when the stack file names a source for the password (so it wins over the stack's server). */
export function passwordConfigured(secrets: SecretsConfig<BackendSecretId>): boolean {
    const value = secrets.values.databasePassword;
    return (
        value?.value !== undefined ||
        value?.existingSecret !== undefined ||
        value?.remoteKey !== undefined ||
        secrets.existingSecret?.keys?.databasePassword !== undefined
    );
}

/** Public addresses only: the internet minus private, link-local, CGNAT and the cluster's ranges. */
export function publicAddresses(cluster: NetworkPolicyClusterConfig, port: number): EgressPeer {
    const except = [...new Set([...PRIVATE_RANGES, ...cluster.clusterCidrs.pods, ...cluster.clusterCidrs.services, ...cluster.internet.except])];
    return { cidr: INTERNET_CIDR, except, ports: [{ port, protocol: "TCP" }] };
}

/**
 * Where each database setting comes from: the block's `database` when it sets `host` (host and
 * port together), otherwise the stack's server; name and user field by field.
 */
export function resolveDatabase(config: AgentBackendConfig, stack: StackDatabase | undefined, cluster: NetworkPolicyClusterConfig): ResolvedDatabase {
    const db = config.database;
    const fromConfig = db.host !== undefined;
    const missing = (key: string) =>
        new Error(
            `agentBackend.database.${key}: is required: the MySQL ${key === "name" ? "database name" : key === "username" ? "user name" : "host name"} (or let the stack create Azure MySQL: \`azure.mysql.enabled\`)`,
        );
    if (!fromConfig && !stack) throw missing("host");
    const name = db.name ?? stack?.database;
    const username = db.username ?? stack?.username;
    if (name === undefined) throw missing("name");
    if (username === undefined) throw missing("username");
    const port = fromConfig ? db.port : stack!.port;
    const ports = [{ port, protocol: "TCP" as const }];
    let egress: EgressPeer;
    if (db.cidr !== undefined) egress = { cidr: db.cidr, ports };
    else if (db.namespaceSelector !== undefined || db.podSelector !== undefined)
        egress = { namespaceSelector: db.namespaceSelector, podSelector: db.podSelector, ports };
    else if (fromConfig && isIpv4Address(db.host!)) egress = { cidr: `${db.host}/32`, ports };
    else if (!fromConfig) egress = stack!.egress ?? publicAddresses(cluster, port);
    else {
        throw new Error(
            "agentBackend.database.cidr: the network policy must know where MySQL is (allowed: `database.cidr`, `database.namespaceSelector`/`podSelector`, an IPv4 `database.host`, or `networkPolicy.enabled: false`)",
        );
    }
    return {
        host: fromConfig ? db.host! : stack!.host,
        port,
        name,
        username,
        passwordFromStack: stack !== undefined && !passwordConfigured(config.secrets),
        egress,
    };
}

/** `{domain}` replaced by the platform domain; a template without one is an error naming its key. */
export function resolveUrl(template: string, key: string, platformDomain: string | undefined): string {
    if (!template.includes(DOMAIN_PLACEHOLDER)) return template;
    if (platformDomain === undefined) {
        throw new Error(
            `agentBackend.${key}: '${template}' needs the platform domain for ${DOMAIN_PLACEHOLDER} (allowed: set \`platform.domain\`, or a URL without ${DOMAIN_PLACEHOLDER})`,
        );
    }
    return template.split(DOMAIN_PLACEHOLDER).join(platformDomain);
}

/** The ConfigMap's data: every plain setting the backend, the wait and the migration read. */
export function buildSettingsData(
    config: AgentBackendConfig,
    db: ResolvedDatabase,
    urls: { platformApiUrl: string; mcpUrl: string },
): Record<string, pulumi.Input<string>> {
    return {
        [SETTINGS_ENV.port]: String(config.containerPort),
        [SETTINGS_ENV.platformApiUrl]: urls.platformApiUrl,
        [SETTINGS_ENV.mcpUrl]: urls.mcpUrl,
        [SETTINGS_ENV.anthropicModel]: config.anthropicModel,
        [SETTINGS_ENV.dbHost]: db.host,
        [SETTINGS_ENV.dbPort]: String(db.port),
        [SETTINGS_ENV.dbName]: db.name,
        [SETTINGS_ENV.dbUser]: db.username,
        [SETTINGS_ENV.environment]: config.environment,
        [SETTINGS_ENV.logLevel]: config.logLevel,
    };
}

/**
 * Secret env entries; every backend value is required, so none is `optional` (a missing key
 * must stop the pod, not start a backend without credentials).
 */
export function requiredSecretEnv(refs: SecretRefs<BackendSecretId>, env: Readonly<Record<string, BackendSecretId>>): EnvVar[] {
    const required: Partial<Record<BackendSecretId, SecretRefs<BackendSecretId>[BackendSecretId]>> = {};
    for (const [id, ref] of Object.entries(refs) as [BackendSecretId, NonNullable<SecretRefs<BackendSecretId>[BackendSecretId]>][])
        required[id] = { ...ref, optional: false };
    return secretEnv(required as SecretRefs<BackendSecretId>, env);
}
