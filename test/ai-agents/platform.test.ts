/**
 * AiAgentsPlatform as a whole under mocks (tier 2): what it creates in a minimal and a full
 * configuration, every object valid (Kubernetes schemas; labrats.work objects against our own
 * CRDs), every workload passing every policy as mandatory, the CRD dependencies and toggle.
 */
import { expect } from "chai";
import { resolveAiAgentsArgs } from "../../components/ai-agents";
import { AiAgentsConfig, aiAgentsBlock } from "../../components/ai-agents/schema";
import { stackSecretsBlocks } from "../../components/config";
import { namespaceBlock } from "../../components/namespace/schema";
import { keyVaultReaders } from "../../components/secrets";
import { checkObjects, parsePolicyConfig } from "../../policies/evaluate";
import { KubernetesObject } from "../../tools/render/manifests";
import type { Recorded } from "../helpers/record";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { validateAiAgentsCustomResource } from "./crd-schema";
import { ENABLED_BLOCK, platformArgs, renderPlatform } from "./fixtures";

const FULL = {
    processor: { enabled: true, replicas: 2 },
    webhooks: { provisioning: "static", sources: ["github"] },
    ingress: { enabled: true, host: "agents.{domain}", tls: { enabled: true, issuer: { name: "letsencrypt-prod" } } },
    storage: { modelsCache: { enabled: true, storageClassName: "longhorn" } },
    executor: { credentialSecrets: ["claude-credentials"] },
    settings: { prometheusUrl: "http://prometheus-operated.monitoring.svc:9090" },
    monitoring: { prometheusRule: { enabled: true } },
    networkPolicy: { clientNamespaces: ["github-ai-agents"] },
};

/** Kubernetes and third-party kinds through their API schemas, ours through our CRDs. */
async function validateAll(objects: KubernetesObject[]): Promise<void> {
    for (const object of objects) {
        if (object.apiVersion === "labrats.work/v1alpha1") validateAiAgentsCustomResource(object);
        else await validateAgainstSchema(object);
    }
}

const kinds = (objects: KubernetesObject[]) => objects.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.kind]: (acc[o.kind] ?? 0) + 1 }), {});

describe("AiAgentsPlatform", () => {
    // The full platform, rendered once for the tests that only read it.
    let full: Promise<Recorded> | undefined;
    const renderFull = () => (full ??= renderPlatform(FULL));

    it("creates the seed's objects for the least an enabled stack sets", async () => {
        const r = await renderPlatform();
        expect(kinds(r.objects)).to.deep.equal({
            CustomResourceDefinition: 6,
            AiInstruction: 14,
            ServiceAccount: 4, // api, app, executor, cleanup
            Role: 1,
            RoleBinding: 1,
            PersistentVolumeClaim: 2,
            ConfigMap: 2, // the API's env and its dashboard
            Deployment: 2,
            Service: 2,
            ServiceMonitor: 1,
            NetworkPolicy: 5, // api, app, executor, cleanup, token-refresh
            CronJob: 2,
        });
    });

    it("is entirely valid and passes every policy as mandatory, minimal and full", async () => {
        for (const r of [await renderPlatform(), await renderFull()]) {
            await validateAll(r.objects);
            expect(checkObjects(r.objects, parsePolicyConfig({ all: "mandatory" })).map((v) => v.message)).to.deep.equal([]);
        }
    });

    it("sends every Kubernetes object through the provider it was given", async () => {
        const r = await renderFull();
        for (const resource of r.recording.resources.filter((x) => x.custom && x.type.startsWith("kubernetes:")))
            expect(resource.provider, resource.urn).to.match(/::test-k8s::/);
    });

    it("makes the instructions and the workloads that watch the CRDs wait for them", async () => {
        const r = await renderFull();
        const crdUrns = r.recording.resources.filter((x) => x.type === "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition").map((x) => x.urn);
        const waiting = r.recording.resources.filter(
            (x) => x.type.startsWith("kubernetes:labrats.work") || (x.type === "kubernetes:apps/v1:Deployment" && !x.name.endsWith("app-deployment")),
        );
        expect(waiting.map((x) => x.name)).to.include.members([
            "ai-agents-api-deployment",
            "ai-agents-processor-deployment",
            "ai-agents-webhook-github-deployment",
        ]);
        for (const resource of waiting) expect(resource.dependsOn, resource.name).to.include.members(crdUrns);
    });

    it("leaves the CRDs to a cluster admin when told, still creating the instructions", async () => {
        const r = await renderPlatform({ crds: { enabled: false } });
        expect(r.objects.filter((o) => o.kind === "CustomResourceDefinition")).to.deep.equal([]);
        const instructions = r.recording.resources.filter((x) => x.type === "kubernetes:labrats.work/v1alpha1:AiInstruction");
        expect(instructions).to.have.length(14);
        for (const resource of instructions) expect(resource.dependsOn).to.deep.equal([]);
    });

    it("creates no instructions when they are off, and leaves out the excluded ones", async () => {
        expect((await renderPlatform({ instructions: { enabled: false } })).objects.filter((o) => o.kind === "AiInstruction")).to.deep.equal([]);
        expect((await renderPlatform({ instructions: { exclude: ["global-testing"] } })).objects.filter((o) => o.kind === "AiInstruction")).to.have.length(13);
    });

    it("puts every namespaced object into the platform's namespace and every CRD in none", async () => {
        const r = await renderFull();
        for (const object of r.objects)
            expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).to.equal(
                object.kind === "CustomResourceDefinition" ? undefined : "ai-agents",
            );
    });

    it("refuses args built in code without a tag or secrets, naming the keys", () => {
        const config = aiAgentsBlock.parse({});
        expect(() => resolveAiAgentsArgs({ ...platformArgs(), config })).to.throw(/aiAgents\.image\.tag: is required[\s\S]*aiAgents\.secrets: is required/);
    });

    it("names the Key Vault reader ServiceAccount only for an enabled platform with external secrets", () => {
        const external = (enabled: boolean) =>
            aiAgentsBlock.parse({
                ...ENABLED_BLOCK,
                enabled,
                secrets: { mode: "external", external: { vaultUrl: "https://v.vault.azure.net/", clientId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" } },
            });
        const readers = (aiAgents: AiAgentsConfig) =>
            stackSecretsBlocks({ namespace: namespaceBlock.parse({ name: "agents" }), aiAgents }).flatMap((block) => keyVaultReaders(block.secrets, block));
        expect(readers(external(true))).to.deep.equal([{ namespace: "agents", serviceAccount: "ai-agents-api-keyvault" }]);
        expect(readers(external(false))).to.deep.equal([]);
        expect(readers(aiAgentsBlock.parse(ENABLED_BLOCK))).to.deep.equal([]);
    });

    it("takes the stack's Key Vault for external secrets and federates the API's SecretStore account", async () => {
        const config = aiAgentsBlock.parse({ ...ENABLED_BLOCK, secrets: { mode: "external" } });
        const r = await renderPlatform({}, { config, keyVault: { vaultUrl: "https://kv.vault.azure.net/", clientId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" } });
        const store: any = r.object("SecretStore");
        expect(store.spec.provider.azurekv).to.include({ vaultUrl: "https://kv.vault.azure.net/", authType: "WorkloadIdentity" });
        expect(store.spec.provider.azurekv.serviceAccountRef.name).to.equal("ai-agents-api-keyvault");
        const external: any = r.object("ExternalSecret");
        expect(external.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key])).to.deep.equal([
            ["OIDC_CLIENT_SECRET", "oidc-client-secret"],
            ["JWT_SECRET", "jwt-secret"],
            ["SUBMIT_API_KEYS", "submit-api-keys"],
        ]);
    });
});
