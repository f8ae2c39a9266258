/**
 * Tier 3: staging and prod rendered whole, the secrets path of a first `pulumi up`: every key an
 * ExternalSecret reads is written into the stack's Key Vault by the same `up` (seeded from
 * config or generated), before the ExternalSecret exists; every ExternalSecret waits until ESO
 * reports it Ready, and the workloads reading its Secret wait for it; rotations roll the pods
 * (Reloader); the backend's private image is pulled with the vault's registry login.
 */
import { expect } from "chai";
import { BACKEND_PASSWORD_REMOTE_KEY } from "../../components/config";
import { RELOADER_SECRET_ANNOTATION } from "../../components/secrets";
import { REGISTRY_KEYVAULT_SECRET } from "../../components/images";
import type { KubernetesObject } from "../../tools/render/manifests";
import type { RecordedResource } from "../../tools/render/recorder";
import { type StackRender } from "../../tools/render/render-stack";
import { REDACTED } from "../../tools/render/wire";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { renderedStack } from "../helpers/render";

const podSpecOf = (o: any) => (o.kind === "CronJob" ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec);
const WORKLOADS = new Set(["Deployment", "Job", "CronJob", "StatefulSet", "DaemonSet"]);

/** Secret names a pod template reads values from (env and envFrom). */
function secretsRead(workload: any): string[] {
    const spec = podSpecOf(workload);
    const containers = [...(spec.initContainers ?? []), ...spec.containers];
    return [
        ...new Set(
            containers.flatMap((c: any) => [
                ...(c.env ?? []).map((e: any) => e.valueFrom?.secretKeyRef?.name).filter(Boolean),
                ...(c.envFrom ?? []).map((e: any) => e.secretRef?.name).filter(Boolean),
            ]),
        ),
    ] as string[];
}

for (const stack of ["staging", "prod"]) {
    describe(`secrets on a first \`up\` of ${stack}, rendered`, () => {
        let render: StackRender;
        let objects: KubernetesObject[];
        const resources = (type: string) => render.recording.resources.filter((r) => r.type === type);
        const byUrn = (urn: string) => render.recording.resources.find((r) => r.urn === urn)!;
        const resourceOf = (object: KubernetesObject): RecordedResource =>
            render.recording.resources.find(
                (r) =>
                    r.type.startsWith("kubernetes:") &&
                    (r.inputs["metadata"] as any)?.name === object.metadata.name &&
                    (r.inputs["metadata"] as any)?.namespace === object.metadata.namespace &&
                    r.type.endsWith(`:${object.kind}`),
            )!;
        const externalSecrets = () => objects.filter((o) => o.kind === "ExternalSecret") as any[];

        before(async () => {
            render = await renderedStack(stack);
            objects = render.objects.map((r) => r.object);
        });

        it("reads every service's secrets from the stack's Key Vault: no Secret is expected to pre-exist", () => {
            expect(render.readiness.filter((f) => f.rule === "references")).to.deep.equal([]);
            const stores = objects.filter((o) => o.kind === "SecretStore") as any[];
            expect(stores.length).to.be.greaterThan(1);
            const vaultUrls = new Set(stores.map((s) => s.spec.provider.azurekv.vaultUrl));
            expect([...vaultUrls]).to.deep.equal([`https://${resources("azure-native:keyvault:Vault")[0]!.inputs["vaultName"]}.vault.rendered.invalid/`]);
            const synced = new Set(externalSecrets().map((e) => `${e.metadata.namespace}/${e.spec.target.name}`));
            for (const workload of objects.filter((o) => WORKLOADS.has(o.kind))) {
                for (const name of secretsRead(workload)) {
                    const made = synced.has(`${workload.metadata.namespace}/${name}`) || objects.some((o) => o.kind === "Secret" && o.metadata.name === name);
                    expect(made, `${workload.kind}/${workload.metadata.name} reads Secret ${name}`).to.equal(true);
                }
            }
        });

        it("writes every key an ExternalSecret reads into the vault in the same `up`, values kept secret, the MySQL password generated", () => {
            const written = resources("azure-native:keyvault:Secret");
            const names = written.map((s) => s.inputs["secretName"]);
            const read = externalSecrets().flatMap((e) => e.spec.data.map((d: any) => d.remoteRef.key));
            expect(read.filter((key) => !names.includes(key))).to.deep.equal([]);
            for (const secret of written) expect((secret.inputs["properties"] as any).value, secret.name).to.equal(REDACTED);
            const password = written.find((s) => s.inputs["secretName"] === BACKEND_PASSWORD_REMOTE_KEY)!;
            expect(password.urn).to.match(/keyvault-secrets-database-password$/);
            // The generated password: the RandomPassword's result, never a config value.
            const random = resources("random:index/randomPassword:RandomPassword")[0]!;
            expect(password.dependsOn).to.include(random.urn);
        });

        it("writes each vault secret only once the deployer holds Key Vault Secrets Officer on the vault", () => {
            const officer = resources("azure-native:authorization:RoleAssignment").find((r) => r.name === "keyvault-deployer-secrets-officer")!;
            expect(String(officer.inputs["roleDefinitionId"])).to.match(/\/roleDefinitions\/b86a8fe4-44ce-4948-aee5-eccb2c155cd7$/);
            expect(officer.inputs["scope"]).to.match(/\/providers\/Microsoft\.KeyVault\/vaults\/ap-[a-z]+-kv-/);
            for (const secret of resources("azure-native:keyvault:Secret")) expect(secret.dependsOn, secret.name).to.include(officer.urn);
        });

        it("creates each ExternalSecret after the vault secrets it reads and the reader's access, and waits until it is Ready", async () => {
            const reader = resources("azure-native:authorization:RoleAssignment").find((r) => r.name === "keyvault-reader-secrets-user")!;
            for (const es of externalSecrets()) {
                expect(es.metadata.annotations, es.metadata.name).to.deep.equal({ "pulumi.com/waitFor": "condition=Ready" });
                expect(es.spec.target.deletionPolicy).to.equal("Retain");
                const recorded = resourceOf(es);
                expect(recorded.dependsOn, es.metadata.name).to.include(reader.urn);
                const dependsOnSecrets = recorded.dependsOn
                    .map(byUrn)
                    .filter((r) => r?.type === "azure-native:keyvault:Secret")
                    .map((r) => r.inputs["secretName"]);
                for (const d of es.spec.data) expect(dependsOnSecrets, `${es.metadata.name} reads ${d.remoteRef.key}`).to.include(d.remoteRef.key);
                await validateAgainstSchema(es);
            }
        });

        it("creates every workload reading a synced Secret after its ExternalSecret, and lets Reloader roll its Deployments", () => {
            const esByTarget = new Map(externalSecrets().map((e) => [`${e.metadata.namespace}/${e.spec.target.name}`, e]));
            let checked = 0;
            for (const workload of objects.filter((o) => WORKLOADS.has(o.kind)) as any[]) {
                const synced = secretsRead(workload).filter((name) => esByTarget.has(`${workload.metadata.namespace}/${name}`));
                for (const name of synced) {
                    const es = resourceOf(esByTarget.get(`${workload.metadata.namespace}/${name}`)!);
                    expect(resourceOf(workload).dependsOn, `${workload.metadata.name} -> ${name}`).to.include(es.urn);
                    checked++;
                }
                if (workload.kind === "Deployment" && synced.length > 0) {
                    expect(workload.metadata.annotations?.[RELOADER_SECRET_ANNOTATION]?.split(","), workload.metadata.name).to.include.members(synced);
                }
            }
            expect(checked).to.be.greaterThan(1);
        });

        it("pulls the backend's private image, migration included, with the vault's registry login, and gives it to no other pod", () => {
            const pulls = (o: any) => (podSpecOf(o).imagePullSecrets ?? []).map((s: any) => s.name);
            const backendPods = objects.filter((o) => WORKLOADS.has(o.kind) && o.metadata.name.startsWith("agent-backend"));
            expect(backendPods.map((o) => o.kind).sort()).to.deep.equal(stack === "prod" ? ["Deployment", "Job"] : ["Deployment"]);
            for (const pod of backendPods) {
                expect(podSpecOf(pod).containers[0].image).to.match(/^cr\.seqera\.io\/private\//);
                expect(pulls(pod), pod.metadata.name).to.deep.equal([REGISTRY_KEYVAULT_SECRET]);
                expect(resourceOf(pod).dependsOn).to.include(resourceOf(externalSecrets().find((e) => e.spec.target.name === REGISTRY_KEYVAULT_SECRET)).urn);
            }
            const others = objects.filter((o) => WORKLOADS.has(o.kind) && !o.metadata.name.startsWith("agent-backend"));
            for (const pod of others) expect(pulls(pod), pod.metadata.name).not.to.include(REGISTRY_KEYVAULT_SECRET);
            const registry = externalSecrets().find((e) => e.spec.target.name === REGISTRY_KEYVAULT_SECRET);
            expect(registry.spec.target.template.type).to.equal("kubernetes.io/dockerconfigjson");
        });

        it("installs Reloader scoped to the platform namespace, after the namespace exists", () => {
            const chart = resources("kubernetes:helm.sh/v4:Chart").find((c) => c.inputs["chart"] === "reloader")!;
            const values = chart.inputs["values"] as any;
            const namespace = objects.find(
                (o) =>
                    o.kind === "Namespace" &&
                    o.metadata.labels?.["pod-security.kubernetes.io/enforce"] &&
                    objects.some((d) => d.kind === "Deployment" && d.metadata.namespace === o.metadata.name),
            )!;
            expect(values.reloader).to.deep.include({ watchGlobally: false, namespaces: [namespace.metadata.name], reloadStrategy: "annotations" });
            const created = render.recording.resources.find(
                (r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs["metadata"] as any).name === namespace.metadata.name,
            )!;
            expect(chart.dependsOn).to.include(created.urn);
        });
    });
}
