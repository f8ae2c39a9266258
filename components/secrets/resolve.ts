/**
 * The secrets block without the Pulumi runtime: what a service declares (`SecretValueSpec`),
 * what the stack configures (`SecretsConfig`), the block's rules, and `resolveSecretsArgs`,
 * which decides each value's source and the Secret a consumer reads it from.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigProblem, throwProblems, under } from "../core/problems";
import type { AppIdentity, EnvVar } from "../pod";

export const SECRETS_MODES = ["managed", "existing", "external"] as const;
export type SecretsMode = (typeof SECRETS_MODES)[number];

/** Keys of a secrets block that are not values, so no value may be called that. */
export const RESERVED_SECRET_IDS: readonly string[] = ["mode", "existingSecret", "external"];

/** Kubernetes Secret data keys. */
export const SECRET_KEY_PATTERN = /^[-._a-zA-Z0-9]{1,253}$/;
/** Kubernetes object names (DNS-1123 subdomain). */
export const OBJECT_NAME_PATTERN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Azure Key Vault secret names. */
export const KEY_VAULT_SECRET_NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;
/** Logical value ids: camelCase, so they read well as config keys. */
const VALUE_ID_PATTERN = /^[a-z][a-zA-Z0-9]*$/;

/** One sensitive value a service needs. */
export interface SecretValueSpec<Id extends string = string> {
    /** Logical name and the value's key in the config block, camelCase, e.g. `anthropicApiKey`. */
    id: Id;
    /**
     * Key of the value in the Secret this stack creates (managed and external modes), and the
     * key looked up in an existing Secret unless remapped, e.g. `ANTHROPIC_API_KEY`.
     */
    defaultKey: string;
    /** The workload cannot run without it: a value missing in the chosen mode is an error. */
    required: boolean;
    /** What the value is, for the config reference, e.g. "Anthropic API key". */
    description?: string;
}

/** Where one value comes from, as configured. Which fields apply depends on the mode. */
export interface SecretValueConfig {
    /** The value itself; `managed` mode only. Kept secret whatever is passed. */
    value?: pulumi.Input<string>;
    /** A key of any existing Secret in the namespace; any mode. Nothing is copied. */
    existingSecret?: {
        name: string;
        /** @default the value's `defaultKey` */
        key?: string;
    };
    /** Name of the Key Vault secret; `external` mode only. @default the id in kebab-case */
    remoteKey?: string;
}

/** The service's own existing Secret (`existing` mode). */
export interface ExistingSecretConfig<Id extends string = string> {
    name: string;
    /** Key per value where it differs from the value's `defaultKey`. @default {} */
    keys?: Partial<Record<Id, string>>;
}

/** Azure Key Vault through External Secrets Operator with workload identity (`external` mode). */
export interface ExternalSecretsConfig {
    /** The vault, e.g. `https://my-vault.vault.azure.net/`; filled from the stack's own Key Vault when it has one. */
    vaultUrl?: pulumi.Input<string>;
    /** Client id of the managed identity (or app registration) federated with the ServiceAccount; likewise. */
    clientId?: pulumi.Input<string>;
    /** Tenant of that identity. @default ESO's own `AZURE_TENANT_ID` */
    tenantId?: pulumi.Input<string>;
    /** How often ESO re-reads the vault (Go duration; `0` reads once). @default "1h" */
    refreshInterval?: string;
    /** Name of the Secret ESO writes. @default `<instance>-secrets` */
    secretName?: string;
    /** ServiceAccount the SecretStore authenticates as. @default `<instance>-keyvault` */
    serviceAccountName?: string;
}

/** A service's secrets settings (what the `secrets` config fragment produces). */
export interface SecretsConfig<Id extends string = string> {
    mode: SecretsMode;
    existingSecret?: ExistingSecretConfig<Id>;
    external?: ExternalSecretsConfig;
    values: Partial<Record<Id, SecretValueConfig>>;
}

export interface SecretsArgs<Id extends string = string> {
    /** The service the secrets belong to: labels, and the base of fixed object names. */
    identity: AppIdentity;
    /** Namespace of the service (every referenced Secret lives there too). */
    namespace: pulumi.Input<string>;
    /** The values the service declares. */
    values: readonly SecretValueSpec<Id>[];
    /** The stack's choice of sources. */
    config: SecretsConfig<Id>;
    /** The stack's own Key Vault: fills mode `external` where the block leaves the vault out (its own settings win). */
    keyVault?: StackKeyVault;
    /** Config key path of the block, for error messages. @default "secrets" */
    configPath?: string;
    /** What installs the external-secrets CRDs (e.g. the add-on chart); the custom resources wait for it. @default [] */
    crdsReady?: pulumi.Resource[];
    /**
     * What must exist before the ExternalSecret reads the vault: the secrets the stack writes
     * into it and the reader's access (the stack's Key Vault `ready`). @default []
     */
    externalReady?: pulumi.Resource[];
}

/** Where a consumer reads one value. */
export interface SecretRef {
    secretName: pulumi.Input<string>;
    key: string;
    /** Not required by the service: a missing key leaves the variable unset. */
    optional: boolean;
}

/** One ref per value that has a source; a required value always has one. */
export type SecretRefs<Id extends string = string> = { readonly [K in Id]?: SecretRef };

export const DEFAULT_REFRESH_INTERVAL = "1h";

/**
 * Stakater Reloader (`addons.reloader`): a workload carrying this annotation is rolled when one
 * of the named Secrets changes (comma-separated names, in the workload's namespace).
 */
export const RELOADER_SECRET_ANNOTATION = "secret.reloader.stakater.com/reload";

/** The Reloader annotation for Secrets that change in place; `{}` when there are none. */
export function reloaderAnnotations(secretNames: readonly string[]): Record<string, string> {
    const names = [...new Set(secretNames)].sort();
    return names.length > 0 ? { [RELOADER_SECRET_ANNOTATION]: names.join(",") } : {};
}

/** A workload's metadata with the Reloader annotation for `secretNames` (unchanged when there are none). */
export function withReloaderAnnotation<M extends object>(metadata: M, secretNames: readonly string[]): M & { annotations?: Record<string, string> } {
    const reload = reloaderAnnotations(secretNames);
    if (Object.keys(reload).length === 0) return metadata;
    const existing = (metadata as { annotations?: Record<string, string> }).annotations ?? {};
    return { ...metadata, annotations: { ...existing, ...reload } };
}

/** `anthropicApiKey` -> `anthropic-api-key`: a valid Key Vault secret name. */
export function defaultRemoteKey(id: string): string {
    return id.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** Throws on a malformed declaration: a programming error, not a config one. */
export function assertSecretValueSpecs(values: readonly SecretValueSpec[]): void {
    const seenIds = new Set<string>();
    const seenKeys = new Set<string>();
    for (const spec of values) {
        if (!VALUE_ID_PATTERN.test(spec.id)) throw new Error(`secret value id '${spec.id}' must be camelCase`);
        if (RESERVED_SECRET_IDS.includes(spec.id)) throw new Error(`secret value id '${spec.id}' is reserved`);
        if (seenIds.has(spec.id)) throw new Error(`secret value id '${spec.id}' is declared twice`);
        if (!SECRET_KEY_PATTERN.test(spec.defaultKey)) throw new Error(`secret value '${spec.id}': defaultKey '${spec.defaultKey}' is not a valid Secret key`);
        if (seenKeys.has(spec.defaultKey)) throw new Error(`secret value '${spec.id}': defaultKey '${spec.defaultKey}' is used twice`);
        seenIds.add(spec.id);
        seenKeys.add(spec.defaultKey);
    }
}

const code = (text: string) => "`" + text + "`";

/**
 * Cross-field rules of a secrets block. Shared by the config schema (so `pulumi up` reports
 * them with every other config error) and by `resolveSecretsArgs` (for args built in code).
 */
export function secretsConfigProblems(values: readonly SecretValueSpec[], config: SecretsConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const { mode } = config;
    const known = values.map((v) => v.id);
    const onlyIn = (key: string, wanted: SecretsMode) =>
        `${code(key)} is only used when ${code("mode")} is ${code(wanted)} (mode is ${code(mode)}); remove it or change the mode`;

    if (config.existingSecret && mode !== "existing") problems.push({ path: ["existingSecret"], message: onlyIn("existingSecret", "existing") });
    if (config.external && mode !== "external") problems.push({ path: ["external"], message: onlyIn("external", "external") });
    for (const id of Object.keys(config.existingSecret?.keys ?? {})) {
        if (!known.includes(id))
            problems.push({ path: ["existingSecret", "keys", id], message: `is not a value of this service (allowed: ${known.join(", ")})` });
    }
    for (const id of Object.keys(config.values)) {
        if (!known.includes(id)) problems.push({ path: [id], message: `is not a value of this service (allowed: ${known.join(", ")})` });
    }

    for (const spec of values) {
        const id = spec.id;
        const value = (config.values as Record<string, SecretValueConfig | undefined>)[id] ?? {};
        const remapped = (config.existingSecret?.keys as Record<string, string | undefined> | undefined)?.[id];
        const either = (a: string, b: string) => ({ path: [id], message: `set either ${code(a)} or ${code(b)}, not both` });
        if (value.value !== undefined && value.existingSecret) problems.push(either(`${id}.value`, `${id}.existingSecret`));
        if (value.remoteKey !== undefined && value.existingSecret) problems.push(either(`${id}.remoteKey`, `${id}.existingSecret`));
        if (remapped !== undefined && value.existingSecret) problems.push(either(`existingSecret.keys.${id}`, `${id}.existingSecret`));
        if (value.value !== undefined && mode !== "managed") problems.push({ path: [id, "value"], message: onlyIn(`${id}.value`, "managed") });
        if (value.remoteKey !== undefined && mode !== "external") problems.push({ path: [id, "remoteKey"], message: onlyIn(`${id}.remoteKey`, "external") });
        if (!spec.required || value.existingSecret) continue;
        if (mode === "managed" && value.value === undefined) {
            problems.push({
                path: [id],
                message: `is required: set ${code(`${id}.value`)} (with ${code("pulumi config set --secret")}) or ${code(`${id}.existingSecret`)}`,
            });
        }
        if (mode === "existing" && !config.existingSecret) {
            problems.push({ path: [id], message: `is required: set ${code("existingSecret.name")} (the service's Secret) or ${code(`${id}.existingSecret`)}` });
        }
    }
    return problems;
}

// ---------------------------------------------------------------------------------------------
// Mode `external` and the stack's own Key Vault: how a block gets its vault, the identity the
// vault must trust for it, and the rule that it has one. Every service goes through these.

/** The stack's own Key Vault, as every service gets it (`ServiceContext.keyVault`). */
export type StackKeyVault = Pick<ExternalSecretsConfig, "vaultUrl" | "clientId" | "tenantId">;

/** A secrets block with the stack's Key Vault filled in where mode `external` leaves the vault out. */
export function withStackKeyVault<Id extends string>(config: SecretsConfig<Id>, keyVault: StackKeyVault | undefined): SecretsConfig<Id> {
    if (config.mode !== "external" || !keyVault) return config;
    return { ...config, external: { ...keyVault, ...(config.external ?? {}) } };
}

/** The ServiceAccount the SecretStore of a block authenticates as in mode `external` (`<instance>-keyvault` unless named); none otherwise. */
export function keyVaultServiceAccountName(config: Pick<SecretsConfig, "mode" | "external">, instance: string): string | undefined {
    return config.mode === "external" ? (config.external?.serviceAccountName ?? `${instance}-keyvault`) : undefined;
}

/** An identity the stack's Key Vault trusts: a ServiceAccount, federated with the vault's reader. */
export interface KeyVaultReader {
    namespace: string;
    serviceAccount: string;
}

/** The reader a block in mode `external` needs, for the Secrets of `instance` in `namespace`; none in the other modes. */
export function keyVaultReaders(config: Pick<SecretsConfig, "mode" | "external">, at: { namespace: string; instance: string }): KeyVaultReader[] {
    const serviceAccount = keyVaultServiceAccountName(config, at.instance);
    return serviceAccount === undefined ? [] : [{ namespace: at.namespace, serviceAccount }];
}

/** Mode `external` needs a vault: named in the block, or the stack's own (`stackKeyVault`). Paths relative to the block. */
export function externalVaultProblems(config: Pick<SecretsConfig, "mode" | "external">, stackKeyVault: boolean): ConfigProblem[] {
    const external = config.mode === "external" ? (config.external ?? {}) : undefined;
    if (!external || stackKeyVault || (external.vaultUrl !== undefined && external.clientId !== undefined)) return [];
    return [
        {
            path: ["external"],
            message: "mode `external` needs a vault (allowed: `external.vaultUrl` and `external.clientId`, or the stack's own `azure.keyVault.enabled`)",
        },
    ];
}

/** Where a resolved value lives; managed and external Secrets get their names at deploy time. */
export type SecretSource = { kind: "managed" } | { kind: "external" } | { kind: "existing"; secretName: string };

export interface ResolvedSecretValue {
    id: string;
    key: string;
    optional: boolean;
    source: SecretSource;
}

export interface ResolvedExternalSecrets {
    secretName: string;
    storeName: string;
    serviceAccountName: string;
    vaultUrl: pulumi.Input<string>;
    clientId: pulumi.Input<string>;
    tenantId?: pulumi.Input<string>;
    refreshInterval: string;
    data: { secretKey: string; remoteKey: string }[];
}

export interface ResolvedSecrets {
    /** Values with a source, in declaration order. */
    values: ResolvedSecretValue[];
    /** Data of the managed Secret, every value a secret Output; empty when none is needed. */
    managedData: Record<string, pulumi.Output<string>>;
    /** Set when the ExternalSecret has something to fetch. */
    external?: ResolvedExternalSecrets;
}

/** Applies defaults, checks the rules and decides each value's source. */
export function resolveSecretsArgs<Id extends string>(args: SecretsArgs<Id>): ResolvedSecrets {
    assertSecretValueSpecs(args.values);
    const config = withStackKeyVault(args.config, args.keyVault);
    const configPath = args.configPath ?? "secrets";
    throwProblems(under([configPath], secretsConfigProblems(args.values, config)));

    const instance = args.identity.instance;
    const external = config.mode === "external" ? config.external : undefined;
    const externalSecretName = external?.secretName ?? `${instance}-secrets`;
    const resolved: ResolvedSecrets = { values: [], managedData: {} };
    const fetched: ResolvedExternalSecrets["data"] = [];

    for (const spec of args.values) {
        const value: SecretValueConfig = config.values[spec.id] ?? {};
        const optional = !spec.required;
        const add = (key: string, source: SecretSource) => resolved.values.push({ id: spec.id, key, optional, source });
        if (value.existingSecret) {
            add(value.existingSecret.key ?? spec.defaultKey, { kind: "existing", secretName: value.existingSecret.name });
        } else if (config.mode === "managed") {
            if (value.value === undefined) continue;
            // pulumi.secret() again so a plain value passed in code is kept secret too.
            resolved.managedData[spec.defaultKey] = pulumi.secret(value.value);
            add(spec.defaultKey, { kind: "managed" });
        } else if (config.mode === "existing") {
            if (!config.existingSecret) continue;
            const key = (config.existingSecret.keys as Record<string, string | undefined> | undefined)?.[spec.id] ?? spec.defaultKey;
            add(key, { kind: "existing", secretName: config.existingSecret.name });
        } else {
            // ESO fails the whole ExternalSecret when one remote secret is missing, so an
            // optional value is fetched only when its remote key is named explicitly.
            if (optional && value.remoteKey === undefined) continue;
            fetched.push({ secretKey: spec.defaultKey, remoteKey: value.remoteKey ?? defaultRemoteKey(spec.id) });
            add(spec.defaultKey, { kind: "external" });
        }
    }

    if (config.mode === "external" && fetched.length > 0) {
        // The schema lets these come from the stack's own Key Vault; by now they must be here.
        throwProblems(under([configPath], externalVaultProblems(config, false)));
        resolved.external = {
            secretName: externalSecretName,
            storeName: `${instance}-keyvault`,
            serviceAccountName: keyVaultServiceAccountName(config, instance)!,
            vaultUrl: external!.vaultUrl!,
            clientId: external!.clientId!,
            tenantId: external!.tenantId,
            refreshInterval: external!.refreshInterval ?? DEFAULT_REFRESH_INTERVAL,
            data: fetched,
        };
    }
    return resolved;
}

/**
 * The managed Secret. It has no fixed name on purpose: Pulumi names it `<resource>-<random>`,
 * and the Secret is replaced (under a new name) whenever its content changes, so every pod
 * template that references it changes too and the pods roll. A checksum annotation would
 * instead be derived from the secret values: a secret Output itself, and a plain hash of a
 * low-entropy value would give the value away.
 */
export function buildManagedSecret(resolved: ResolvedSecrets, metadata: { namespace: pulumi.Input<string>; labels: Record<string, string> }) {
    return {
        metadata: { namespace: metadata.namespace, labels: metadata.labels },
        type: "Opaque",
        // Never edited in place: a change is a new Secret, which is what rolls the pods.
        immutable: true,
        stringData: resolved.managedData,
    };
}

/**
 * Container env entries reading values from their Secrets, one per variable whose value has a
 * source: `{ ANTHROPIC_API_KEY: "anthropicApiKey" }`. Optional values get `optional: true`.
 */
export function secretEnv<Id extends string>(refs: SecretRefs<Id>, env: Readonly<Record<string, Id>>): EnvVar[] {
    return Object.entries(env).flatMap(([name, id]) => {
        const ref = refs[id as Id];
        if (!ref) return [];
        return [{ name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key, ...(ref.optional ? { optional: true } : {}) } } }];
    });
}
