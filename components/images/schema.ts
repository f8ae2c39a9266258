/** The `images` block: a registry override, pull Secrets every pod gets, and registry logins. */
import { z } from "zod";
import { dnsLabel, sensitiveString } from "../core/schema";
import { KEY_VAULT_SECRET_NAME_PATTERN } from "../secrets";

const vaultSecretName = (description: string) =>
    z.string().regex(KEY_VAULT_SECRET_NAME_PATTERN, "must be a Key Vault secret name").meta({ description, allowed: "1 to 127 letters, digits and '-'" });

export const imagesBlock = z
    .strictObject({
        registry: z
            .string()
            .regex(/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*$/, "must be a registry host with optional path")
            .meta({
                description: "Registry that replaces the registry of every image without an explicit per-image registry (for vendored images).",
                allowed: "a registry host[:port][/path], e.g. myregistry.azurecr.io",
            })
            .optional(),
        pullSecrets: z
            .array(dnsLabel("Name of an existing image pull Secret."))
            .default([])
            .meta({ description: "Existing image pull Secrets added to every pod." }),
        credentials: z
            .array(
                z
                    .strictObject({
                        registry: z
                            .string()
                            .regex(/^[a-z0-9.-]+(:[0-9]+)?$/, "must be a registry host")
                            .meta({ description: "Registry host, e.g. cr.seqera.io; pods whose images come from it get the login.", allowed: "a host[:port]" }),
                        username: z.string().min(1).meta({ description: "User name at the registry (with `password`)." }).optional(),
                        password: sensitiveString("Password or token at the registry (with `username`).").optional(),
                        fromKeyVault: z
                            .strictObject({
                                usernameKey: vaultSecretName("Key Vault secret holding the user name."),
                                passwordKey: vaultSecretName("Key Vault secret holding the password or token."),
                            })
                            .meta({
                                description:
                                    "Read the login from the stack's Key Vault instead (External Secrets renders the dockerconfigjson); seed the two secrets with `azure.keyVault.secrets` or set them in the vault.",
                            })
                            .optional(),
                    })
                    .superRefine((login, ctx) => {
                        const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
                        if (login.fromKeyVault !== undefined) {
                            if (login.username !== undefined) issue("username", "set either `username` or `fromKeyVault.usernameKey`, not both");
                            if (login.password !== undefined) issue("password", "set either `password` or `fromKeyVault.passwordKey`, not both");
                        } else {
                            if (login.username === undefined)
                                issue("username", "is required: the user name at the registry (allowed: a user name, or `fromKeyVault`)");
                            if (login.password === undefined)
                                issue("password", "is required: a secret set with `pulumi config set --secret` (allowed: a secret value, or `fromKeyVault`)");
                        }
                    })
                    .meta({ description: "One registry login: `username` and a secret `password`, or `fromKeyVault`." }),
            )
            .default([])
            .meta({
                description:
                    "Registry logins (Seqera's `global.imageCredentials`): the stack turns them into dockerconfigjson Secrets (from config, or synced from the Key Vault) and adds them to the pull secrets of every pod whose image comes from that registry.",
            }),
    })
    .superRefine((images, ctx) => {
        const registries = (images.credentials ?? []).map((c) => c.registry);
        registries.forEach((registry, i) => {
            if (registries.indexOf(registry) !== i)
                ctx.addIssue({ code: "custom", path: ["credentials", i, "registry"], message: `'${registry}' is listed twice` });
        });
    })
    .meta({ description: "Images: a registry override and the image pull credentials shared by every workload." });

export type ImagesConfig = z.output<typeof imagesBlock>;
