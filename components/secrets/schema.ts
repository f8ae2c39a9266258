/**
 * Config fragment of a service's `secrets` block (e.g. `agentRuntime.secrets`). Built per
 * service from the values it declares, so every value is a typed key of the block:
 *
 *   secrets:
 *     mode: managed | existing | external
 *     existingSecret: { name, keys: { <id>: <key> } }      # mode existing
 *     external: { vaultUrl, clientId, tenantId, ... }       # mode external
 *     <id>: { value | existingSecret: { name, key } | remoteKey }
 *
 * The cross-field rules live in `secretsConfigProblems` (secrets/resolve.ts), shared with
 * the component, so config errors and component errors say the same thing.
 */
import { z } from "zod";
import { sensitiveString } from "../core/schema";
import {
    DEFAULT_REFRESH_INTERVAL,
    KEY_VAULT_SECRET_NAME_PATTERN,
    OBJECT_NAME_PATTERN,
    SECRET_KEY_PATTERN,
    SECRETS_MODES,
    SecretsConfig,
    SecretValueConfig,
    SecretValueSpec,
    assertSecretValueSpecs,
    defaultRemoteKey,
    secretsConfigProblems,
} from "../secrets";

const objectName = (description: string) =>
    z.string().regex(OBJECT_NAME_PATTERN, "must be a Kubernetes object name").meta({
        description,
        allowed: "lowercase letters, digits, '-' and '.', at most 253 characters, starting and ending alphanumeric",
    });

const secretKey = (description: string) =>
    z.string().regex(SECRET_KEY_PATTERN, "must be a Secret key").meta({ description, allowed: "letters, digits, '-', '_' and '.'" });

const remoteKey = (description: string) =>
    z.string().regex(KEY_VAULT_SECRET_NAME_PATTERN, "must be a Key Vault secret name").meta({
        description,
        allowed: "letters, digits and '-', at most 127 characters",
    });

/** Go durations as ESO parses them, e.g. `1h`, `15m`, `1h30m`; `0` fetches once. */
const DURATION_PATTERN = /^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/;

const externalBlock = z
    .strictObject({
        vaultUrl: z
            .url({ protocol: /^https$/, error: "must be an https URL" })
            .meta({
                description: "URL of the Azure Key Vault; default: the stack's own vault (`azure.keyVault`).",
                allowed: "https://<vault-name>.vault.azure.net/",
            })
            .optional(),
        clientId: z
            .guid("must be a GUID")
            .meta({
                description:
                    "Client id of the managed identity (or app registration) federated with the ServiceAccount `system:serviceaccount:<namespace>:<serviceAccountName>`; set as its `azure.workload.identity/client-id` annotation. Default: the reader identity of the stack's own vault.",
                allowed: "a GUID",
            })
            .optional(),
        tenantId: z
            .guid("must be a GUID")
            .meta({
                description:
                    "Tenant of that identity, set as the ServiceAccount's `azure.workload.identity/tenant-id` annotation; unset uses ESO's own `AZURE_TENANT_ID`.",
                allowed: "a GUID",
            })
            .optional(),
        refreshInterval: z.string().regex(DURATION_PATTERN, "must be a duration").default(DEFAULT_REFRESH_INTERVAL).meta({
            description: "How often External Secrets Operator re-reads the vault; `0` reads once.",
            allowed: "a Go duration such as 15m, 1h, 1h30m, or 0",
        }),
        secretName: objectName("Name of the Secret the ExternalSecret writes; default `<instance>-secrets`.").optional(),
        serviceAccountName: objectName("ServiceAccount the SecretStore authenticates as; default `<instance>-keyvault`.").optional(),
    })
    .meta({ description: "Mode `external`: Azure Key Vault through External Secrets Operator, authenticated with workload identity." });

function valueSchema(spec: SecretValueSpec) {
    const what = spec.description ?? spec.id;
    return z
        .strictObject({
            value: sensitiveString(`${what}. Mode \`managed\` only: stored in a Secret this stack owns.`).optional(),
            existingSecret: z
                .strictObject({
                    name: objectName("Name of an existing Secret in the service's namespace."),
                    key: secretKey("Key of the value in that Secret.").default(spec.defaultKey),
                })
                .meta({ description: "Read the value from a key of any existing Secret (any mode); nothing is copied." })
                .optional(),
            remoteKey: remoteKey(
                `Name of the Key Vault secret; mode \`external\` only. Default \`${defaultRemoteKey(spec.id)}\`${spec.required ? "" : "; this optional value is fetched only when set"}.`,
            ).optional(),
        })
        .meta({ description: `${what} (${spec.required ? "required" : "optional"}).` })
        .optional();
}

/** The parsed block in the shape `Secrets` takes: values gathered under `values`. */
function toSecretsConfig<Id extends string>(block: Record<string, unknown>, values: readonly SecretValueSpec<Id>[]): SecretsConfig<Id> {
    const config: SecretsConfig<Id> = { mode: block["mode"] as SecretsConfig["mode"], values: {} };
    if (block["existingSecret"]) config.existingSecret = block["existingSecret"] as SecretsConfig<Id>["existingSecret"];
    if (block["external"]) config.external = block["external"] as SecretsConfig<Id>["external"];
    for (const spec of values) {
        const value = block[spec.id] as SecretValueConfig | undefined;
        if (value) config.values[spec.id] = value;
    }
    return config;
}

/**
 * The `secrets` block of a service that declares `values`. Absent, it parses as `{}` (managed
 * mode), so a required value without a source is reported as missing.
 */
export function secretsConfigSchema<const Id extends string>(values: readonly SecretValueSpec<Id>[]) {
    assertSecretValueSpecs(values);
    const valueShape: Record<string, ReturnType<typeof valueSchema>> = {};
    const keysShape: Record<string, z.ZodOptional<ReturnType<typeof secretKey>>> = {};
    for (const spec of values) {
        valueShape[spec.id] = valueSchema(spec);
        keysShape[spec.id] = secretKey(`Key of ${spec.id} in the Secret; default \`${spec.defaultKey}\`.`).optional();
    }
    return z
        .strictObject({
            mode: z.enum(SECRETS_MODES).default("managed").meta({
                description:
                    "Where the values come from: `managed` (stack secrets in a Secret this stack owns), `existing` (your Secret, read in place) or `external` (Azure Key Vault through External Secrets Operator).",
            }),
            existingSecret: z
                .strictObject({
                    name: objectName("Name of the service's existing Secret in its namespace."),
                    keys: z.strictObject(keysShape).prefault({}).meta({ description: "Key of a value in that Secret where it differs from the default key." }),
                })
                .meta({ description: "Mode `existing`: the service's own Secret, read in place (nothing is copied)." })
                .optional(),
            external: externalBlock.optional(),
            ...valueShape,
        })
        .superRefine((block, ctx) => {
            for (const problem of secretsConfigProblems(values, toSecretsConfig(block, values))) {
                ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
            }
        })
        .transform((block) => toSecretsConfig(block, values))
        .prefault({})
        .meta({ description: "Where the service's sensitive values come from; see docs/secrets.md." });
}
