/**
 * Secrets: the config fragment, resolution per mode, the env helper (tier 1), and the
 * component under mocks with every object schema-validated (tier 2).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { z } from "zod";
import { sensitivePathsIn } from "../../components/config/introspect";
import { AppIdentity, buildPodSpec, selectorLabels } from "../../components/pod";
import { secretsConfigSchema } from "../../components/secrets/schema";
import {
    SecretRefs,
    Secrets,
    SecretsArgs,
    SecretsConfig,
    SecretValueSpec,
    assertSecretValueSpecs,
    defaultRemoteKey,
    resolveSecretsArgs,
    secretEnv,
} from "../../components/secrets";
import { KubernetesObject } from "../../tools/render/manifests";
import { autoName } from "../../tools/render/recorder";
import { REDACTED } from "../../tools/render/wire";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { recordComponents } from "../helpers/record";

const VALUES = [
    { id: "anthropicApiKey", defaultKey: "ANTHROPIC_API_KEY", required: true, description: "Anthropic API key" },
    { id: "langfusePublicKey", defaultKey: "langfuse-public-key", required: false, description: "Langfuse public key" },
] as const satisfies readonly SecretValueSpec[];
type Id = (typeof VALUES)[number]["id"];

const IDENTITY: AppIdentity = { name: "fractal-agents-runtime", instance: "agent-runtime", component: "runtime" };
const schema = secretsConfigSchema(VALUES);
const ENV = { ANTHROPIC_API_KEY: "anthropicApiKey", LANGFUSE_PUBLIC_KEY: "langfusePublicKey" } as const;
const TENANT = "11111111-2222-3333-4444-555555555555";
const CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

function parse(block: unknown): SecretsConfig<Id> {
    return schema.parse(block);
}

/** Issues of a block as `path: message`, paths relative to the block. */
function issues(block: unknown): string[] {
    const result = schema.safeParse(block);
    expect(result.success, "expected the block to be rejected").to.equal(false);
    return result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

function args(block: unknown): SecretsArgs<Id> {
    return { identity: IDENTITY, namespace: "agents", values: VALUES, config: parse(block) };
}

async function isSecretOutput(value: pulumi.Input<string>): Promise<boolean> {
    return pulumi.Output.isInstance<string>(value) && (await pulumi.isSecret(value as pulumi.Output<string>));
}

describe("secrets: value declarations", () => {
    it("rejects ids that clash with the block's own keys, duplicate keys and non-camelCase ids", () => {
        expect(() => assertSecretValueSpecs([{ id: "mode", defaultKey: "MODE", required: true }])).to.throw(/reserved/);
        expect(() =>
            assertSecretValueSpecs([
                { id: "a", defaultKey: "K", required: true },
                { id: "b", defaultKey: "K", required: true },
            ]),
        ).to.throw(/defaultKey 'K' is used twice/);
        expect(() => assertSecretValueSpecs([{ id: "Anthropic_key", defaultKey: "K", required: true }])).to.throw(/camelCase/);
    });

    it("derives Key Vault secret names from ids in kebab-case", () => {
        expect(defaultRemoteKey("anthropicApiKey")).to.equal("anthropic-api-key");
        expect(defaultRemoteKey("databaseUrl2")).to.equal("database-url2");
    });
});

describe("secrets: config fragment", () => {
    it("defaults to managed mode and reports a missing required value, naming both ways to set it", () => {
        expect(issues({})).to.deep.equal([
            "anthropicApiKey: is required: set `anthropicApiKey.value` (with `pulumi config set --secret`) or `anthropicApiKey.existingSecret`",
        ]);
    });

    it("turns a managed value into a secret Output and gathers values under `values`", async () => {
        const config = parse({ anthropicApiKey: { value: "sk-ant-test" } });
        expect(config.mode).to.equal("managed");
        expect(Object.keys(config.values)).to.deep.equal(["anthropicApiKey"]);
        expect(await isSecretOutput(config.values.anthropicApiKey!.value!)).to.equal(true);
    });

    it("marks `<id>.value` sensitive, so the config layer rejects it in plain text", () => {
        const paths = sensitivePathsIn(
            schema,
            { anthropicApiKey: { value: "x" }, langfusePublicKey: { existingSecret: { name: "s" } } },
            "agentRuntime.secrets",
        );
        expect(paths).to.deep.equal(["agentRuntime.secrets.anthropicApiKey.value"]);
    });

    it("rejects a value given both as a plain value and as an existing Secret, naming both keys", () => {
        expect(issues({ anthropicApiKey: { value: "v", existingSecret: { name: "s" } } })).to.deep.equal([
            "anthropicApiKey: set either `anthropicApiKey.value` or `anthropicApiKey.existingSecret`, not both",
        ]);
    });

    it("rejects a key remap in the service's Secret together with a per-value reference, naming both keys", () => {
        const block = {
            mode: "existing",
            existingSecret: { name: "shared", keys: { anthropicApiKey: "anthropic" } },
            anthropicApiKey: { existingSecret: { name: "other" } },
        };
        expect(issues(block)).to.deep.equal([
            "anthropicApiKey: set either `existingSecret.keys.anthropicApiKey` or `anthropicApiKey.existingSecret`, not both",
        ]);
    });

    it("rejects settings of another mode, saying which mode uses them", () => {
        expect(issues({ mode: "existing", existingSecret: { name: "s" }, anthropicApiKey: { value: "v" } })).to.deep.equal([
            "anthropicApiKey.value: `anthropicApiKey.value` is only used when `mode` is `managed` (mode is `existing`); remove it or change the mode",
        ]);
        expect(issues({ anthropicApiKey: { value: "v" }, langfusePublicKey: { remoteKey: "lf" } })).to.deep.equal([
            "langfusePublicKey.remoteKey: `langfusePublicKey.remoteKey` is only used when `mode` is `external` (mode is `managed`); remove it or change the mode",
        ]);
        expect(issues({ anthropicApiKey: { value: "v" }, existingSecret: { name: "s" } })[0]).to.match(
            /^existingSecret: `existingSecret` is only used when `mode` is `existing`/,
        );
    });

    it("existing mode: a required value needs the service's Secret or its own reference", () => {
        expect(issues({ mode: "existing" })).to.deep.equal([
            "anthropicApiKey: is required: set `existingSecret.name` (the service's Secret) or `anthropicApiKey.existingSecret`",
        ]);
        expect(parse({ mode: "existing", anthropicApiKey: { existingSecret: { name: "llm" } } }).values.anthropicApiKey!.existingSecret).to.deep.equal({
            name: "llm",
            key: "ANTHROPIC_API_KEY",
        });
    });

    it("external mode: an https vault URL, GUIDs and Key Vault names (the vault itself may come from the stack's Key Vault)", () => {
        // The vault may come from the stack's own Key Vault: the stack-level rule, not the fragment, requires one.
        expect(parse({ mode: "external" }).external).to.equal(undefined);
        const bad = issues({
            mode: "external",
            external: { vaultUrl: "http://kv.example", clientId: "nope", tenantId: "x" },
            langfusePublicKey: { remoteKey: "bad_name" },
        });
        expect(bad).to.include.members([
            "external.vaultUrl: must be an https URL",
            "external.clientId: must be a GUID",
            "external.tenantId: must be a GUID",
            "langfusePublicKey.remoteKey: must be a Key Vault secret name",
        ]);
        expect(parse({ mode: "external", external: { vaultUrl: "https://kv.vault.azure.net/", clientId: CLIENT } }).external!.refreshInterval).to.equal("1h");
        expect(issues({ mode: "external", external: { vaultUrl: "https://kv.vault.azure.net/", clientId: CLIENT, refreshInterval: "hourly" } })).to.deep.equal([
            "external.refreshInterval: must be a duration",
        ]);
    });

    it("reports unknown keys at every level when embedded in a strict block", () => {
        const block = z.strictObject({ secrets: schema });
        const result = block.safeParse({
            secrets: { bogus: 1, mode: "existing", existingSecret: { name: "s", keys: { openaiApiKey: "k" } }, anthropicApiKey: { valu: "x" } },
        });
        const unknown = result.error!.issues.filter((i) => i.code === "unrecognized_keys").map((i) => `${i.path.join(".")}: ${(i as { keys: string[] }).keys}`);
        expect(unknown).to.have.members(["secrets: bogus", "secrets.existingSecret.keys: openaiApiKey", "secrets.anthropicApiKey: valu"]);
        // An absent block takes its defaults (managed mode), so a required value is still missing.
        expect(block.safeParse({}).error!.issues.map((i) => i.path.join("."))).to.deep.equal(["secrets.anthropicApiKey"]);
    });

    it("rejects Secret names and keys Kubernetes would refuse", () => {
        expect(issues({ mode: "existing", existingSecret: { name: "My_Secret", keys: { anthropicApiKey: "bad key" } } })).to.have.members([
            "existingSecret.name: must be a Kubernetes object name",
            "existingSecret.keys.anthropicApiKey: must be a Secret key",
        ]);
    });
});

describe("secrets: resolution per mode", () => {
    it("managed: the stack's Secret holds each given value under its default key, as a secret Output", async () => {
        const resolved = resolveSecretsArgs(args({ anthropicApiKey: { value: "sk-ant" }, langfusePublicKey: { value: "pk-lf" } }));
        expect(Object.keys(resolved.managedData)).to.deep.equal(["ANTHROPIC_API_KEY", "langfuse-public-key"]);
        for (const value of Object.values(resolved.managedData)) expect(await isSecretOutput(value)).to.equal(true);
        expect(resolved.values.map((v) => [v.id, v.key, v.optional, v.source.kind])).to.deep.equal([
            ["anthropicApiKey", "ANTHROPIC_API_KEY", false, "managed"],
            ["langfusePublicKey", "langfuse-public-key", true, "managed"],
        ]);
    });

    it("managed: keeps a plain value passed in code secret too", async () => {
        const config: SecretsConfig<Id> = { mode: "managed", values: { anthropicApiKey: { value: "plain-in-code" } } };
        const resolved = resolveSecretsArgs({ identity: IDENTITY, namespace: "agents", values: VALUES, config });
        expect(await isSecretOutput(resolved.managedData["ANTHROPIC_API_KEY"]!)).to.equal(true);
    });

    it("managed: an optional value without a source gets no ref", () => {
        const resolved = resolveSecretsArgs(args({ anthropicApiKey: { value: "v" } }));
        expect(resolved.values.map((v) => v.id)).to.deep.equal(["anthropicApiKey"]);
    });

    it("existing: reads the service's Secret under remapped or default keys, a per-value reference elsewhere", () => {
        const resolved = resolveSecretsArgs(
            args({
                mode: "existing",
                existingSecret: { name: "runtime-secrets", keys: { langfusePublicKey: "publicKey" } },
                anthropicApiKey: { existingSecret: { name: "llm-keys", key: "anthropic" } },
            }),
        );
        expect(resolved.values).to.deep.equal([
            { id: "anthropicApiKey", key: "anthropic", optional: false, source: { kind: "existing", secretName: "llm-keys" } },
            { id: "langfusePublicKey", key: "publicKey", optional: true, source: { kind: "existing", secretName: "runtime-secrets" } },
        ]);
        expect(resolved.managedData).to.deep.equal({});
        expect(resolved.external).to.equal(undefined);
    });

    it("external: fetches required values by derived names and optional ones only when named", () => {
        const external = { vaultUrl: "https://kv.vault.azure.net/", clientId: CLIENT };
        const without = resolveSecretsArgs(args({ mode: "external", external }));
        expect(without.external!.data).to.deep.equal([{ secretKey: "ANTHROPIC_API_KEY", remoteKey: "anthropic-api-key" }]);
        const withOptional = resolveSecretsArgs(args({ mode: "external", external, langfusePublicKey: { remoteKey: "lf-public" } }));
        expect(withOptional.external!.data).to.deep.equal([
            { secretKey: "ANTHROPIC_API_KEY", remoteKey: "anthropic-api-key" },
            { secretKey: "langfuse-public-key", remoteKey: "lf-public" },
        ]);
        expect(withOptional.external).to.include({
            secretName: "agent-runtime-secrets",
            storeName: "agent-runtime-keyvault",
            serviceAccountName: "agent-runtime-keyvault",
            refreshInterval: "1h",
        });
    });

    it("external: takes the stack's Key Vault where the block names none, the block's own settings winning; without any vault, says so", () => {
        const stackVault = { vaultUrl: "https://stack.vault.azure.net/", clientId: CLIENT, tenantId: TENANT };
        const own = "22222222-2222-2222-2222-222222222222";
        const resolved = resolveSecretsArgs({ ...args({ mode: "external", external: { clientId: own } }), keyVault: stackVault });
        expect(resolved.external).to.include({ vaultUrl: stackVault.vaultUrl, clientId: own, tenantId: TENANT });
        expect(() => resolveSecretsArgs({ ...args({ mode: "external" }), configPath: "agentRuntime.secrets" })).to.throw(
            "agentRuntime.secrets.external: mode `external` needs a vault (allowed: `external.vaultUrl` and `external.clientId`, or the stack's own `azure.keyVault.enabled`)",
        );
    });

    it("names the config key path when args built in code break a rule", () => {
        const config: SecretsConfig<Id> = { mode: "managed", values: { anthropicApiKey: { value: "v", existingSecret: { name: "s" } } } };
        expect(() => resolveSecretsArgs({ identity: IDENTITY, namespace: "agents", values: VALUES, config, configPath: "agentRuntime.secrets" })).to.throw(
            "agentRuntime.secrets.anthropicApiKey: set either `anthropicApiKey.value` or `anthropicApiKey.existingSecret`, not both",
        );
    });
});

describe("secrets: env entries", () => {
    it("reads each variable from its Secret key; optional values are optional, absent ones skipped", () => {
        const refs: SecretRefs<Id> = {
            anthropicApiKey: { secretName: "s1", key: "K1", optional: false },
            langfusePublicKey: { secretName: "s2", key: "K2", optional: true },
        };
        expect(secretEnv(refs, ENV)).to.deep.equal([
            { name: "ANTHROPIC_API_KEY", valueFrom: { secretKeyRef: { name: "s1", key: "K1" } } },
            { name: "LANGFUSE_PUBLIC_KEY", valueFrom: { secretKeyRef: { name: "s2", key: "K2", optional: true } } },
        ]);
        expect(secretEnv({ anthropicApiKey: refs.anthropicApiKey }, ENV).map((e) => e.name)).to.deep.equal(["ANTHROPIC_API_KEY"]);
    });
});

/** A Deployment that reads the values the way every service will. */
function consumer(refs: SecretRefs<Id>, provider: k8s.Provider) {
    return new k8s.apps.v1.Deployment(
        "consumer",
        {
            metadata: { name: "consumer", namespace: "agents" },
            spec: {
                selector: { matchLabels: selectorLabels(IDENTITY) },
                template: {
                    metadata: { labels: selectorLabels(IDENTITY) },
                    spec: buildPodSpec({
                        runAs: { user: 65532, group: 65532 },
                        containers: [
                            {
                                name: "app",
                                image: "app:1",
                                env: secretEnv(refs, ENV),
                                resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "16Mi" } },
                            },
                        ],
                    }),
                },
            },
        },
        { provider },
    );
}

const envOf = (deployment: any): any[] => deployment.spec.template.spec.containers[0].env;

describe("Secrets component", () => {
    it("managed: one auto-named, immutable Secret with redacted data that pods reference by its generated name", async () => {
        const r = await recordComponents((provider) => {
            const secrets = new Secrets(
                "rt-secrets",
                args({ anthropicApiKey: { value: "PLAINTEXT-ANTHROPIC" }, langfusePublicKey: { value: "PLAINTEXT-LANGFUSE" } }),
                { providers: [provider] },
            );
            consumer(secrets.refs, provider);
        });
        const raw = r.recording.resources.find((x) => x.type === "kubernetes:core/v1:Secret")!;
        expect((raw.inputs["metadata"] as any).name, "no fixed name: Pulumi generates one").to.equal(undefined);
        expect(raw.inputs["stringData"]).to.equal(REDACTED);
        expect(raw.inputs["immutable"]).to.equal(true);
        expect(raw.provider).to.match(/::test-k8s::/);
        expect(JSON.stringify(r.recording)).not.to.match(/PLAINTEXT-/);
        expect(raw.replaceOnChanges).to.deep.equal(["stringData"]);

        const generatedName = autoName(raw.name, raw.urn);
        expect(r.object("Secret").metadata.name).to.equal(generatedName);
        expect(envOf(r.object("Deployment"))).to.deep.equal([
            { name: "ANTHROPIC_API_KEY", valueFrom: { secretKeyRef: { name: generatedName, key: "ANTHROPIC_API_KEY" } } },
            { name: "LANGFUSE_PUBLIC_KEY", valueFrom: { secretKeyRef: { name: generatedName, key: "langfuse-public-key", optional: true } } },
        ]);
        for (const object of r.objects) await validateRendered(object, ["ANTHROPIC_API_KEY", "langfuse-public-key"]);
    });

    it("managed: values that point at existing Secrets stay out of the stack's Secret; none at all creates no Secret", async () => {
        const mixed = await recordComponents((provider) => {
            const secrets = new Secrets(
                "rt-secrets",
                args({ anthropicApiKey: { value: "v" }, langfusePublicKey: { existingSecret: { name: "langfuse", key: "public" } } }),
                { providers: [provider] },
            );
            consumer(secrets.refs, provider);
        });
        const raw = mixed.recording.resources.find((x) => x.type === "kubernetes:core/v1:Secret")!;
        expect(Object.keys(raw.inputs)).to.include("stringData");
        expect(envOf(mixed.object("Deployment"))[1]).to.deep.equal({
            name: "LANGFUSE_PUBLIC_KEY",
            valueFrom: { secretKeyRef: { name: "langfuse", key: "public", optional: true } },
        });
        for (const object of mixed.objects) await validateRendered(object, ["ANTHROPIC_API_KEY"]);

        const referencesOnly = await recordComponents(
            (provider) => void new Secrets("rt-secrets", args({ anthropicApiKey: { existingSecret: { name: "llm" } } }), { providers: [provider] }),
        );
        expect(referencesOnly.objects).to.deep.equal([]);
    });

    it("existing: creates nothing; pods read the user's Secret under the remapped keys", async () => {
        const r = await recordComponents((provider) => {
            const secrets = new Secrets(
                "rt-secrets",
                args({ mode: "existing", existingSecret: { name: "fractal-agents-runtime-secrets", keys: { anthropicApiKey: "anthropic-api-key" } } }),
                {
                    providers: [provider],
                },
            );
            consumer(secrets.refs, provider);
        });
        expect(r.objects.map((o) => o.kind)).to.deep.equal(["Deployment"]);
        expect(envOf(r.object("Deployment"))).to.deep.equal([
            { name: "ANTHROPIC_API_KEY", valueFrom: { secretKeyRef: { name: "fractal-agents-runtime-secrets", key: "anthropic-api-key" } } },
            {
                name: "LANGFUSE_PUBLIC_KEY",
                valueFrom: { secretKeyRef: { name: "fractal-agents-runtime-secrets", key: "langfuse-public-key", optional: true } },
            },
        ]);
        await validateAgainstSchema(r.object("Deployment"));
    });

    it("external: a workload-identity ServiceAccount, a v1 SecretStore for the vault and a v1 ExternalSecret writing the Secret pods read", async () => {
        const external = { vaultUrl: "https://agents-kv.vault.azure.net/", clientId: CLIENT, tenantId: TENANT, refreshInterval: "15m" };
        const r = await recordComponents((provider) => {
            const secrets = new Secrets("rt-secrets", args({ mode: "external", external, langfusePublicKey: { remoteKey: "langfuse-pk" } }), {
                providers: [provider],
            });
            consumer(secrets.refs, provider);
        });
        expect(r.objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`).sort()).to.deep.equal([
            "apps/v1 Deployment/consumer",
            "external-secrets.io/v1 ExternalSecret/agent-runtime-secrets",
            "external-secrets.io/v1 SecretStore/agent-runtime-keyvault",
            "v1 ServiceAccount/agent-runtime-keyvault",
        ]);
        const account: any = r.object("ServiceAccount");
        expect(account.metadata.annotations).to.deep.equal({ "azure.workload.identity/client-id": CLIENT, "azure.workload.identity/tenant-id": TENANT });
        expect(account.automountServiceAccountToken).to.equal(false);

        const store: any = r.object("SecretStore");
        expect(store.metadata.namespace).to.equal("agents");
        expect(store.spec).to.deep.equal({
            provider: { azurekv: { authType: "WorkloadIdentity", vaultUrl: external.vaultUrl, serviceAccountRef: { name: "agent-runtime-keyvault" } } },
        });
        expect(store.spec.provider.azurekv, "the tenant is set once (ESO rejects it in both places)").not.to.have.property("tenantId");

        const externalSecret: any = r.object("ExternalSecret");
        expect(externalSecret.spec).to.deep.equal({
            refreshInterval: "15m",
            secretStoreRef: { kind: "SecretStore", name: "agent-runtime-keyvault" },
            // Retain: a vault secret that is missing fails the sync instead of leaving the key out.
            target: { name: "agent-runtime-secrets", creationPolicy: "Owner", deletionPolicy: "Retain" },
            data: [
                { secretKey: "ANTHROPIC_API_KEY", remoteRef: { key: "anthropic-api-key" } },
                { secretKey: "langfuse-public-key", remoteRef: { key: "langfuse-pk" } },
            ],
        });
        expect(envOf(r.object("Deployment")).map((e: any) => e.valueFrom.secretKeyRef)).to.deep.equal([
            { name: "agent-runtime-secrets", key: "ANTHROPIC_API_KEY" },
            { name: "agent-runtime-secrets", key: "langfuse-public-key", optional: true },
        ]);
        for (const resource of r.recording.resources.filter((x) => x.type.startsWith("kubernetes:") && x.name.startsWith("rt-secrets"))) {
            expect(resource.provider, resource.urn).to.match(/::test-k8s::/);
            expect(resource.parent, resource.urn).to.match(/Secrets::rt-secrets$/);
        }
        for (const object of r.objects) await validateAgainstSchema(object);
    });

    it("external: the Deployment depends on the ExternalSecret through the Secret name", async () => {
        const r = await recordComponents((provider) => {
            const secrets = new Secrets("rt-secrets", args({ mode: "external", external: { vaultUrl: "https://kv.vault.azure.net/", clientId: CLIENT } }), {
                providers: [provider],
            });
            consumer(secrets.refs, provider);
        });
        const deployment = r.recording.resources.find((x) => x.type === "kubernetes:apps/v1:Deployment")!;
        const externalSecret = r.recording.resources.find((x) => x.name === "rt-secrets-externalsecret")!;
        expect(deployment.dependsOn).to.include(externalSecret.urn);
    });

    it("external: the ExternalSecret waits until ESO reports it Ready, and is created after what the vault must hold first", async () => {
        let rotating: string[] = [];
        const r = await recordComponents((provider) => {
            const seeded = new k8s.core.v1.ConfigMap("stand-in-for-a-vault-secret", { metadata: { name: "seed", namespace: "agents" } }, { provider });
            const secrets = new Secrets(
                "rt-secrets",
                { ...args({ mode: "external", external: { vaultUrl: "https://kv.vault.azure.net/", clientId: CLIENT } }), externalReady: [seeded] },
                { providers: [provider] },
            );
            rotating = secrets.rotatingSecretNames;
        });
        const externalSecret = r.recording.resources.find((x) => x.name === "rt-secrets-externalsecret")!;
        expect((r.object("ExternalSecret") as any).metadata.annotations).to.deep.equal({ "pulumi.com/waitFor": "condition=Ready" });
        expect(externalSecret.dependsOn).to.include(r.recording.resources.find((x) => x.name === "stand-in-for-a-vault-secret")!.urn);
        expect(rotating, "the synced Secret changes in place on a rotation").to.deep.equal(["agent-runtime-secrets"]);
    });

    it("names the Secrets that change in place for Reloader: the user's, never the managed one (replaced under a new name instead)", async () => {
        const names: string[][] = [];
        await recordComponents((provider) => {
            names.push(
                new Secrets("a", args({ anthropicApiKey: { value: "x" }, langfusePublicKey: { existingSecret: { name: "langfuse" } } }), {
                    providers: [provider],
                }).rotatingSecretNames,
            );
            names.push(
                new Secrets("b", args({ mode: "existing", existingSecret: { name: "runtime-secrets" } }), { providers: [provider] }).rotatingSecretNames,
            );
        });
        expect(names).to.deep.equal([["langfuse"], ["runtime-secrets"]]);
    });
});

/**
 * The Kubernetes SDK sends a Secret's whole `stringData` as one secret; the render shows its
 * key names with every value redacted. Check that, then the Kubernetes schema.
 */
async function validateRendered(object: KubernetesObject, managedKeys: string[]): Promise<void> {
    if (object.kind === "Secret") {
        expect(object["stringData"]).to.deep.equal(Object.fromEntries([...managedKeys].sort().map((key) => [key, REDACTED])));
    }
    await validateAgainstSchema(object);
}
