import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
import {
    dockerConfigJson,
    dockerConfigJsonTemplate,
    imageRegistry,
    pullSecretsFor,
    REGISTRY_CREDENTIALS_SECRET,
    REGISTRY_KEYVAULT_IDENTITY,
    REGISTRY_KEYVAULT_SECRET,
    RegistryCredentials,
    registryLoginsFromKeyVault,
} from "../../components/images";
import { REDACTED } from "../../tools/render/wire";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { recordComponents } from "../helpers/record";
import { configProblems, testConfig } from "../helpers/stack-config";

const login = { registry: "cr.seqera.io", username: "robot", password: "VERY-SECRET-TOKEN" };

describe("registry credentials", () => {
    it("builds a dockerconfigjson with a basic-auth token per registry", () => {
        const doc = JSON.parse(dockerConfigJson([login, { registry: "acr.example.io", username: "u", password: "p" }]));
        expect(Object.keys(doc.auths)).to.deep.equal(["cr.seqera.io", "acr.example.io"]);
        expect(Buffer.from(doc.auths["cr.seqera.io"].auth, "base64").toString()).to.equal("robot:VERY-SECRET-TOKEN");
    });

    it("adds a login Secret to the existing pull secrets of pods whose images come from its registry, and only those", () => {
        const images = { pullSecrets: ["regcred"], registryPullSecrets: [{ registries: ["cr.seqera.io"], secretName: REGISTRY_CREDENTIALS_SECRET }] };
        expect(pullSecretsFor(images, ["cr.seqera.io/private/nf-tower-enterprise/agent-backend:0.1.0"])).to.deep.equal([
            "regcred",
            REGISTRY_CREDENTIALS_SECRET,
        ]);
        expect(pullSecretsFor(images, ["ghcr.io/l4b4r4b4b4/fractal-agents-runtime-python:development", "mysql:8.0"])).to.deep.equal(["regcred"]);
        expect(pullSecretsFor({ pullSecrets: [] }, ["cr.seqera.io/x:1"])).to.deep.equal([]);
    });

    it("requires the password to be a secret and refuses a registry listed twice", () => {
        expect(configProblems({ images: { credentials: [login, login] } })).to.deep.equal([
            "agent-platform:images.credentials[0].password: is sensitive and stored in plain text (allowed: a secret, set with `pulumi config set --secret --path images.credentials[0].password <value>`)",
            "agent-platform:images.credentials[1].password: is sensitive and stored in plain text (allowed: a secret, set with `pulumi config set --secret --path images.credentials[1].password <value>`)",
            "agent-platform:images.credentials[1].registry: 'cr.seqera.io' is listed twice",
        ]);
    });

    it("creates one dockerconfigjson Secret whose content never leaves the secret", async () => {
        const images = testConfig({ images: { credentials: [login] } }, ["agent-platform:images"]).images;
        const r = await recordComponents((provider) => new RegistryCredentials("creds", { images, namespace: "agents" }, { providers: [provider] }));
        const secret = r.object("Secret", REGISTRY_CREDENTIALS_SECRET);
        expect(secret["type"]).to.equal("kubernetes.io/dockerconfigjson");
        expect(secret["stringData"]).to.deep.equal({ ".dockerconfigjson": REDACTED });
        expect(JSON.stringify(r.recording)).not.to.contain("VERY-SECRET-TOKEN");
        await validateAgainstSchema(secret);
    });

    it("reads the registry of an image as the container runtime does (no host: Docker Hub)", () => {
        expect(imageRegistry("cr.seqera.io/private/nf-tower-enterprise/agent-backend:0.1.0")).to.equal("cr.seqera.io");
        expect(imageRegistry("localhost:5000/app:1")).to.equal("localhost:5000");
        expect(imageRegistry("mysql:8.0")).to.equal("docker.io");
        expect(imageRegistry("bitnami/mysql:8.0")).to.equal("docker.io");
        expect(imageRegistry("index.docker.io/library/mysql:8.0")).to.equal("docker.io");
        expect(pullSecretsFor({ pullSecrets: [], registryPullSecrets: [{ registries: ["index.docker.io"], secretName: "hub" }] }, ["mysql:8.0"])).to.deep.equal(
            ["hub"],
        );
    });
});

const VAULT_LOGIN = { registry: "cr.seqera.io", fromKeyVault: { usernameKey: "cr-seqera-io-username", passwordKey: "cr-seqera-io-password" } };
const AKS_VAULT = { cluster: { target: "aks", aks: { location: "westeurope" } }, azure: { keyVault: { enabled: true } } };

describe("registry credentials from the stack's Key Vault", () => {
    it("takes a login from two vault secrets, and refuses it without the stack's vault", () => {
        expect(testConfig({ ...AKS_VAULT, images: { credentials: [VAULT_LOGIN] } }).images.credentials).to.deep.equal([VAULT_LOGIN]);
        expect(configProblems({ images: { credentials: [VAULT_LOGIN] } })).to.deep.equal([
            "agent-platform:images.credentials[0].fromKeyVault: needs the stack's Key Vault (allowed: `azure.keyVault.enabled: true` with `cluster.target: aks`, or `username` and a secret `password`)",
        ]);
    });

    it("refuses a login given twice or not at all, and vault names Key Vault would refuse, naming the keys", () => {
        expect(configProblems({ ...AKS_VAULT, images: { credentials: [{ ...VAULT_LOGIN, username: "robot" }] } })).to.deep.equal([
            "agent-platform:images.credentials[0].username: set either `username` or `fromKeyVault.usernameKey`, not both",
        ]);
        expect(configProblems({ images: { credentials: [{ registry: "cr.seqera.io" }] } })).to.deep.equal([
            "agent-platform:images.credentials[0].username: is required: the user name at the registry (allowed: a user name, or `fromKeyVault`)",
            "agent-platform:images.credentials[0].password: is required: a secret set with `pulumi config set --secret` (allowed: a secret value, or `fromKeyVault`)",
        ]);
        const bad = configProblems({
            ...AKS_VAULT,
            images: { credentials: [{ registry: "cr.seqera.io", fromKeyVault: { usernameKey: "user_name", passwordKey: "p" } }] },
        });
        expect(bad).to.deep.equal([
            "agent-platform:images.credentials[0].fromKeyVault.usernameKey: must be a Key Vault secret name (allowed: 1 to 127 letters, digits and '-')",
        ]);
    });

    it("renders, through ESO's template, the same .dockerconfigjson as a login from config, whatever the token holds", () => {
        const logins = [
            { registry: "cr.seqera.io", username: "robot$seqera", password: 'to"k\\en:with}}braces' },
            { registry: "acr.example.io", username: "u", password: "p" },
        ];
        const values: Record<string, string> = {};
        logins.forEach((l, i) => Object.assign(values, { [`username${i}`]: l.username, [`password${i}`]: l.password }));
        const rendered = renderEsoTemplate(dockerConfigJsonTemplate(logins.map((l) => l.registry)), values);
        expect(JSON.parse(rendered)).to.deep.equal(JSON.parse(dockerConfigJson(logins)));
    });

    it("syncs the login with a workload-identity ServiceAccount, a SecretStore and an ExternalSecret that waits for Ready", async () => {
        const images = testConfig({ ...AKS_VAULT, images: { credentials: [VAULT_LOGIN] } }).images;
        const keyVault = { vaultUrl: "https://ap-prod-kv.vault.azure.net/", clientId: "11111111-2222-3333-4444-555555555555" };
        let names: unknown[] = [];
        const r = await recordComponents((provider) => {
            const creds = new RegistryCredentials("registry-credentials", { images, namespace: "agents", keyVault }, { providers: [provider] });
            names = creds.pullSecrets.map((p) => p.registries);
            // A pod of the backend's image, given the Secret by its name as an output.
            new k8s.core.v1.Pod(
                "backend",
                {
                    metadata: { name: "backend", namespace: "agents" },
                    spec: {
                        containers: [{ name: "c", image: "cr.seqera.io/private/x:1" }],
                        imagePullSecrets: pullSecretsFor({ pullSecrets: [], registryPullSecrets: creds.pullSecrets }, ["cr.seqera.io/private/x:1"]).map(
                            (name) => ({ name }),
                        ),
                    },
                },
                { provider },
            );
        });
        expect(names).to.deep.equal([["cr.seqera.io"]]);
        expect(registryLoginsFromKeyVault(images)).to.equal(true);
        expect((r.object("ServiceAccount", REGISTRY_KEYVAULT_IDENTITY) as any).metadata.annotations).to.deep.equal({
            "azure.workload.identity/client-id": keyVault.clientId,
        });
        expect((r.object("SecretStore", REGISTRY_KEYVAULT_IDENTITY) as any).spec.provider.azurekv.vaultUrl).to.equal(keyVault.vaultUrl);
        const es: any = r.object("ExternalSecret", REGISTRY_KEYVAULT_SECRET);
        expect(es.metadata.annotations).to.deep.equal({ "pulumi.com/waitFor": "condition=Ready" });
        expect(es.spec.data).to.deep.equal([
            { secretKey: "username0", remoteRef: { key: "cr-seqera-io-username" } },
            { secretKey: "password0", remoteRef: { key: "cr-seqera-io-password" } },
        ]);
        expect(es.spec.target).to.deep.include({ name: REGISTRY_KEYVAULT_SECRET, creationPolicy: "Owner", deletionPolicy: "Retain" });
        expect(es.spec.target.template).to.deep.equal({
            engineVersion: "v2",
            type: "kubernetes.io/dockerconfigjson",
            data: { ".dockerconfigjson": dockerConfigJsonTemplate(["cr.seqera.io"]) },
        });
        expect(r.objects.filter((o) => o.kind === "Secret")).to.deep.equal([]);
        const pod = r.recording.resources.find((x) => x.type === "kubernetes:core/v1:Pod")!;
        const externalSecret = r.recording.resources.find((x) => x.name === "registry-credentials-externalsecret")!;
        expect(pod.dependsOn).to.include(externalSecret.urn);
        for (const object of r.objects.filter((o) => o.kind !== "Pod")) await validateAgainstSchema(object);
    });
});

/**
 * The subset of ESO's template engine v2 (Go text/template with sprig) the dockerconfigjson
 * template uses: `{{ .k | toJson }}` and `{{ printf "%s:%s" .a .b | b64enc | toJson }}`.
 * Anything else throws, so a template change this cannot read fails the test.
 */
function renderEsoTemplate(template: string, values: Record<string, string>): string {
    return template.replace(/\{\{(.*?)\}\}/g, (_, body: string) => {
        const stages = body.trim().split(/\s*\|\s*/);
        const value = (ref: string) => {
            if (!ref.startsWith(".") || !(ref.slice(1) in values)) throw new Error(`missingkey=error: ${ref}`);
            return values[ref.slice(1)]!;
        };
        const first = stages[0]!;
        const printf = /^printf "%s:%s" (\.\w+) (\.\w+)$/.exec(first);
        let current = printf ? `${value(printf[1]!)}:${value(printf[2]!)}` : value(first);
        for (const stage of stages.slice(1)) {
            if (stage === "toJson") current = JSON.stringify(current);
            else if (stage === "b64enc") current = Buffer.from(current).toString("base64");
            else throw new Error(`unsupported template function ${stage}`);
        }
        return current;
    });
}
