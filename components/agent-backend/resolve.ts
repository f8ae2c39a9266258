/**
 * The backend's args resolved: identities, images, the database (the block's or the stack's
 * MySQL), URLs, pull Secrets, the ServiceAccount and where each secret value comes from; and the
 * block's rules that need facts from the rest of the stack.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type ConfigProblem, throwProblems, under } from "../core/problems";
import { pullSecretsFor } from "../images";
import { DOMAIN_PLACEHOLDER } from "../ingress/schema";
import type { ServiceContext } from "../platform";
import { AppIdentity, imageReference, registryHost } from "../pod";
import { SecretsConfig, secretsConfigProblems, SecretValueSpec } from "../secrets/resolve";
import { AgentBackendConfig, BACKEND_SECRET_VALUES, BackendSecretId } from "./schema";
import { ResolvedDatabase, StackDatabase, resolveDatabase, resolveUrl } from "./settings";
import { mergePullSecrets, migrationJobName } from "./workload";

export type { StackDatabase } from "./settings";

/** The platform's service context; its pull Secrets come first, the block's per-image ones are added. */
export interface AgentBackendArgs extends ServiceContext {
    /** The `agentBackend` block, validated and defaulted by `agentBackendBlock`. */
    config: AgentBackendConfig;
    /**
     * The stack's MySQL server (e.g. `AzureMysql.connection`): fills the `database` settings the
     * block leaves out, and its password (kept in a Secret this stack owns) is used unless
     * `secrets.databasePassword` names another source. @default none: the block must set them
     */
    database?: StackDatabase;
}

export const BACKEND_NAME = "agent-backend";

export interface ResolvedAgentBackend {
    identity: AppIdentity;
    /** The migration Job's pods: their own instance label, so the Service never selects them. */
    migrationIdentity: AppIdentity;
    image: string;
    waitImage: string;
    database: ResolvedDatabase;
    urls: { platformApiUrl: string; mcpUrl: string };
    pullSecrets: pulumi.Input<string>[];
    serviceAccountName: string;
    createServiceAccount: boolean;
    /** The block's secrets (the stack's Key Vault is filled in by the secrets block), the stack's password source in place. */
    secrets: SecretsConfig<BackendSecretId>;
    /** The values the block's secrets provide (the password only when the stack's server does not, or wrote it into the vault). */
    secretValues: SecretValueSpec<BackendSecretId>[];
    /** The stack's generated password is read from the stack's Key Vault with the other values (mode `external`). */
    passwordFromVault: boolean;
    /** Set in `migrations.mode: job`. */
    migrationJobName?: string;
}

/** With the stack's password in use, an empty `databasePassword: {}` entry is no source: drop it. */
function withoutStackPassword(config: SecretsConfig<BackendSecretId>, fromStack: boolean): SecretsConfig<BackendSecretId> {
    if (!fromStack || config.values.databasePassword === undefined) return config;
    const { databasePassword: _unused, ...values } = config.values;
    return { ...config, values };
}

/** The stack's password, read from the vault key the stack wrote it to, in place of any empty `databasePassword` entry. */
function withVaultPassword(config: SecretsConfig<BackendSecretId>, remoteKey: string): SecretsConfig<BackendSecretId> {
    return { ...config, values: { ...config.values, databasePassword: { remoteKey } } };
}

export function resolveAgentBackendArgs(args: AgentBackendArgs): ResolvedAgentBackend {
    const { config } = args;
    // Constructed means deployed: the rules apply whatever `enabled` says.
    const facts = { stackDatabase: args.database !== undefined, imagesRegistry: args.images.registry, platformDomain: args.platformDomain };
    throwProblems(under(["agentBackend"], agentBackendProblems(config, facts)));

    const identity: AppIdentity = { name: BACKEND_NAME, instance: config.name, component: "backend", version: config.image.tag };
    const database = resolveDatabase(config, args.database, args.networkPolicy);
    const wait = config.initContainerDependencies.waitForMySQL;
    const waits = config.initContainerDependencies.enabled && wait.enabled;
    const image = (i: AgentBackendConfig["image"]) =>
        imageReference({ registry: i.registry ?? args.images.registry, repository: i.repository, tag: i.tag, digest: i.digest });
    const backendImage = image(config.image);
    const waitImage = image(wait.image);
    // The stack wrote its generated password into its vault: read it there, like the other values.
    const vaultKey =
        database.passwordFromStack && config.secrets.mode === "external" && config.secrets.external?.vaultUrl === undefined
            ? args.database?.passwordRemoteKey
            : undefined;
    const secrets = config.secrets;
    return {
        identity,
        migrationIdentity: { name: BACKEND_NAME, instance: `${config.name}-migration`, component: "migration", version: config.image.tag },
        image: backendImage,
        waitImage,
        database,
        urls: {
            platformApiUrl: resolveUrl(config.platformApiUrl, "platformApiUrl", args.platformDomain),
            mcpUrl: resolveUrl(config.mcpUrl, "mcpUrl", args.platformDomain),
        },
        // The stack's registry logins for the backend's (private) registry, and the wait's.
        pullSecrets: mergePullSecrets(
            pullSecretsFor(args.images, waits ? [backendImage, waitImage] : [backendImage]),
            config.image.pullSecrets,
            waits ? wait.image.pullSecrets : [],
        ),
        serviceAccountName: config.serviceAccount.name ?? config.name,
        createServiceAccount: config.serviceAccount.name === undefined,
        secrets: vaultKey ? withVaultPassword(secrets, vaultKey) : withoutStackPassword(secrets, database.passwordFromStack),
        // Without the stack's server the password is required, as the chart's checks demand.
        secretValues: BACKEND_SECRET_VALUES.filter((v) => v.id !== "databasePassword" || !database.passwordFromStack || vaultKey).map((v) => ({
            ...v,
            required: true,
        })),
        passwordFromVault: vaultKey !== undefined,
        ...(config.migrations.mode === "job" ? { migrationJobName: migrationJobName(config.name, backendImage) } : {}),
    };
}

/** What the rest of the stack provides, for the rules that span blocks. */
export interface StackFacts {
    /** The stack creates a MySQL server whose connection fills unset `database` fields (`azure.mysql.enabled`). */
    stackDatabase: boolean;
    /** `images.registry`. */
    imagesRegistry?: string;
    /** `platform.domain`. */
    platformDomain?: string;
}

/**
 * The chart's requirement checks (the database and its password, unless the stack's Azure MySQL
 * provides them), the private image's registry and `{domain}` URLs: the block's rules that need
 * facts from other blocks. Paths relative to the block. The config layer runs them with the
 * stack's facts, the component with its args'.
 */
export function agentBackendProblems(block: AgentBackendConfig, facts: StackFacts): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const orStack = "(or let the stack create Azure MySQL: `azure.mysql.enabled`)";
    if (!facts.stackDatabase) {
        if (block.database.host === undefined) problems.push({ path: ["database", "host"], message: `is required: the MySQL host name ${orStack}` });
        if (block.database.name === undefined) problems.push({ path: ["database", "name"], message: `is required: the MySQL database name ${orStack}` });
        if (block.database.username === undefined) problems.push({ path: ["database", "username"], message: `is required: the MySQL user name ${orStack}` });
        // The password, as required: the fragment's own rules name the ways to set it.
        const required = BACKEND_SECRET_VALUES.map((v) => (v.id === "databasePassword" ? { ...v, required: true } : v));
        for (const p of secretsConfigProblems(required, block.secrets as SecretsConfig)) {
            if (p.path[0] === "databasePassword") problems.push({ path: ["secrets", ...p.path], message: p.message });
        }
    }
    const image = block.image;
    if (image.registry === undefined && facts.imagesRegistry === undefined && registryHost(image.repository) === undefined) {
        problems.push({
            path: ["image", "registry"],
            message: "is required: the backend image is private (allowed: `cr.seqera.io` or the registry you vendored it to, here or in `images.registry`)",
        });
    }
    if (facts.platformDomain === undefined) {
        for (const key of ["platformApiUrl", "mcpUrl"] as const) {
            if (block[key].includes(DOMAIN_PLACEHOLDER)) {
                problems.push({
                    path: [key],
                    message: `'${block[key]}' needs the platform domain for ${DOMAIN_PLACEHOLDER} (allowed: set \`platform.domain\`, or a URL without ${DOMAIN_PLACEHOLDER})`,
                });
            }
        }
    }
    return problems;
}
