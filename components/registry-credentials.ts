/**
 * RegistryCredentials: one `kubernetes.io/dockerconfigjson` Secret built from the stack's
 * registry logins (`images.credentials`), shared by every pod as an image pull secret next to
 * the existing ones the stack names. The logins stay secret Outputs into the Secret.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ImagesConfig } from "./config";
import { MANAGED_BY, PART_OF } from "./pod";

/** Fixed, so services can list it by name; a change replaces it (delete first, same name). */
export const REGISTRY_CREDENTIALS_SECRET = "agent-platform-registry-credentials";

export interface RegistryLogin {
    registry: string;
    username: string;
    password: string;
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

/** Every pull secret a pod gets: the existing ones, then the stack's own when it has logins. */
export function sharedPullSecrets(images: ImagesConfig): string[] {
    return [...images.pullSecrets, ...(images.credentials.length > 0 ? [REGISTRY_CREDENTIALS_SECRET] : [])];
}

export class RegistryCredentials extends pulumi.ComponentResource {
    readonly secretName: pulumi.Output<string>;

    constructor(name: string, args: { images: ImagesConfig; namespace: pulumi.Input<string> }, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:images:RegistryCredentials", name, {}, opts);
        const logins = args.images.credentials.map((c) => pulumi.all([c.registry, c.username, c.password]).apply(([registry, username, password]) => ({ registry, username, password })));
        const secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: {
                    name: REGISTRY_CREDENTIALS_SECRET,
                    namespace: args.namespace,
                    labels: { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/managed-by": MANAGED_BY },
                },
                type: "kubernetes.io/dockerconfigjson",
                stringData: { ".dockerconfigjson": pulumi.secret(pulumi.all(logins).apply(dockerConfigJson)) },
            },
            { parent: this, deleteBeforeReplace: true },
        );
        this.secretName = secret.metadata.name;
        this.registerOutputs({ secretName: this.secretName });
    }
}
