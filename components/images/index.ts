/**
 * RegistryCredentials: image pull Secrets (`kubernetes.io/dockerconfigjson`) for private
 * registries, from the stack's registry logins (`images.credentials`):
 * - a login with `username` and a secret `password`: one Secret the stack writes, its content a
 *   secret Output from config to Secret;
 * - a login `fromKeyVault`: External Secrets reads the user name and password from the stack's
 *   Key Vault and renders the dockerconfigjson with an ESO template (engine v2, sprig functions:
 *   external-secrets docs "Common k8s secret types", "Advanced Templating v2"), so no credential
 *   passes through Pulumi at all and a rotated token reaches the Secret on the next refresh.
 *
 * A pod gets a Secret only when one of its images comes from a registry that Secret has a login
 * for (`pullSecretsFor`), by the Secret's name as an output of the resource that makes it: the
 * workload is created after the Secret exists (for the vault's, after ESO reports it Ready).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MANAGED_BY, PART_OF, registryHost, SharedImageSettings } from "../pod";
import { createKeyVaultSync, DEFAULT_REFRESH_INTERVAL, ResolvedExternalSecrets, StackKeyVault } from "../secrets";
import type { ImagesConfig } from "./schema";

/** The Secret of the logins from config; fixed, a change replaces it (delete first, same name). */
export const REGISTRY_CREDENTIALS_SECRET = "agent-platform-registry-credentials";
/** The Secret External Secrets renders from the vault's logins (and its ExternalSecret). */
export const REGISTRY_KEYVAULT_SECRET = "agent-platform-registry-credentials-keyvault";
/** ServiceAccount and SecretStore of that sync; the ServiceAccount is federated with the vault's reader. */
export const REGISTRY_KEYVAULT_IDENTITY = "agent-platform-registry-keyvault";

export interface RegistryLogin {
    registry: string;
    username: string;
    password: string;
}

/** A pull Secret and the registries it has a login for. */
export interface RegistryPullSecret {
    registries: string[];
    secretName: pulumi.Input<string>;
}

// eslint-disable-next-line no-restricted-syntax -- a constant: never changed.
const DOCKER_HUB = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/** The registry an image reference pulls from, as the container runtime reads it (no host: Docker Hub). */
export function imageRegistry(image: string): string {
    const host = registryHost(image) ?? "docker.io";
    return DOCKER_HUB.has(host) ? "docker.io" : host;
}

function sameRegistry(login: string, image: string): boolean {
    return (DOCKER_HUB.has(login) ? "docker.io" : login) === image;
}

/**
 * The pull Secrets of a pod running `images`: the existing ones every pod gets (`images.pullSecrets`),
 * then each registry Secret with a login for a registry one of the images comes from.
 */
export function pullSecretsFor(images: SharedImageSettings, podImages: readonly string[]): pulumi.Input<string>[] {
    const registries = podImages.map(imageRegistry);
    const matching = (images.registryPullSecrets ?? []).filter((s) => s.registries.some((login) => registries.some((r) => sameRegistry(login, r))));
    return [...images.pullSecrets, ...matching.map((s) => s.secretName)];
}

/** The `.dockerconfigjson` document: one `auths` entry per registry, with the basic-auth token. */
export function dockerConfigJson(logins: readonly RegistryLogin[]): string {
    const auths: Record<string, { username: string; password: string; auth: string }> = {};
    for (const login of logins) {
        auths[login.registry] = {
            username: login.username,
            password: login.password,
            auth: Buffer.from(`${login.username}:${login.password}`).toString("base64"),
        };
    }
    return JSON.stringify({ auths });
}

/** Keys of the ExternalSecret's data for the login at `index`: plain identifiers, so the template reads them as `.username0`. */
const usernameKey = (index: number) => `username${index}`;
const passwordKey = (index: number) => `password${index}`;

/**
 * The ESO template of the `.dockerconfigjson`: the same document as `dockerConfigJson`, rendered
 * by ESO from the fetched values; `toJson` quotes them, so any character in a token is safe.
 */
export function dockerConfigJsonTemplate(registries: readonly string[]): string {
    const entries = registries.map((registry, i) => {
        const [user, pass] = [usernameKey(i), passwordKey(i)];
        return `${JSON.stringify(registry)}:{"username":{{ .${user} | toJson }},"password":{{ .${pass} | toJson }},"auth":{{ printf "%s:%s" .${user} .${pass} | b64enc | toJson }}}`;
    });
    return `{"auths":{${entries.join(",")}}}`;
}

type Credential = ImagesConfig["credentials"][number];
type VaultCredential = Credential & { fromKeyVault: NonNullable<Credential["fromKeyVault"]> };

const fromVault = (c: Credential): c is VaultCredential => c.fromKeyVault !== undefined;

/** Whether a login comes from the vault: then the vault trusts `REGISTRY_KEYVAULT_IDENTITY`. */
export function registryLoginsFromKeyVault(images: Pick<ImagesConfig, "credentials">): boolean {
    return images.credentials.some(fromVault);
}

/** The vault sync of the `fromKeyVault` logins; undefined when there are none. */
export function resolveRegistryKeyVaultSync(
    images: Pick<ImagesConfig, "credentials">,
    keyVault: StackKeyVault | undefined,
): { external: ResolvedExternalSecrets; template: { type: string; data: Record<string, string> } } | undefined {
    const logins = images.credentials.filter(fromVault);
    if (logins.length === 0) return undefined;
    if (keyVault?.vaultUrl === undefined || keyVault.clientId === undefined) {
        throw new Error("images.credentials: `fromKeyVault` needs the stack's Key Vault (`azure.keyVault.enabled`)");
    }
    return {
        external: {
            secretName: REGISTRY_KEYVAULT_SECRET,
            storeName: REGISTRY_KEYVAULT_IDENTITY,
            serviceAccountName: REGISTRY_KEYVAULT_IDENTITY,
            vaultUrl: keyVault.vaultUrl,
            clientId: keyVault.clientId,
            tenantId: keyVault.tenantId,
            refreshInterval: DEFAULT_REFRESH_INTERVAL,
            data: logins.flatMap((login, i) => [
                { secretKey: usernameKey(i), remoteKey: login.fromKeyVault.usernameKey },
                { secretKey: passwordKey(i), remoteKey: login.fromKeyVault.passwordKey },
            ]),
        },
        template: { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": dockerConfigJsonTemplate(logins.map((l) => l.registry)) } },
    };
}

export interface RegistryCredentialsArgs {
    images: ImagesConfig;
    namespace: pulumi.Input<string>;
    /** The stack's Key Vault, for `fromKeyVault` logins. */
    keyVault?: StackKeyVault;
    /** What installs the external-secrets CRDs. @default [] */
    crdsReady?: pulumi.Resource[];
    /** What must exist before ESO reads the vault (the stack's Key Vault `ready`). @default [] */
    externalReady?: pulumi.Resource[];
}

export class RegistryCredentials extends pulumi.ComponentResource {
    /** Each Secret made here and the registries it has logins for; `pullSecretsFor` picks a pod's. */
    readonly pullSecrets: RegistryPullSecret[];

    constructor(name: string, args: RegistryCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:images:RegistryCredentials", name, {}, opts);
        const labels = { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/managed-by": MANAGED_BY };
        const pullSecrets: RegistryPullSecret[] = [];

        const configLogins = args.images.credentials.filter((c) => !fromVault(c));
        if (configLogins.length > 0) {
            const logins = configLogins.map((c) =>
                pulumi.all([c.registry, c.username!, c.password!]).apply(([registry, username, password]) => ({ registry, username, password })),
            );
            const secret = new k8s.core.v1.Secret(
                `${name}-secret`,
                {
                    metadata: { name: REGISTRY_CREDENTIALS_SECRET, namespace: args.namespace, labels },
                    type: "kubernetes.io/dockerconfigjson",
                    stringData: { ".dockerconfigjson": pulumi.secret(pulumi.all(logins).apply(dockerConfigJson)) },
                },
                { parent: this, deleteBeforeReplace: true },
            );
            pullSecrets.push({ registries: configLogins.map((c) => c.registry), secretName: secret.metadata.name });
        }

        const sync = resolveRegistryKeyVaultSync(args.images, args.keyVault);
        if (sync) {
            const secretName = createKeyVaultSync(
                name,
                {
                    external: sync.external,
                    template: sync.template,
                    metadata: { namespace: args.namespace, labels },
                    crdsReady: args.crdsReady,
                    externalReady: args.externalReady,
                },
                this,
            );
            pullSecrets.push({ registries: args.images.credentials.filter(fromVault).map((c) => c.registry), secretName });
        }
        this.pullSecrets = pullSecrets;
        this.registerOutputs({});
    }
}
