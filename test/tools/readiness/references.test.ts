import { expect } from "chai";
import { existingReferences } from "../../../tools/readiness/facts";
import { referenceFindings } from "../../../tools/readiness/references";
import { container, deployment, facts, namespace, object } from "./fixtures";

const NS = "apps";
const secretEnv = (secret: string, key: string) => container("app", { env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: secret, key } } }] });

describe("readiness rule references", () => {
    it("reports a Secret a container reads that nothing creates, syncs or declares", () => {
        const findings = referenceFindings([namespace(NS), deployment("api", NS, { containers: [secretEnv("api-secrets", "token")] })], facts());
        expect(findings).to.have.length(1);
        expect(findings[0]).to.include({ severity: "error", rule: "references", object: "Deployment/apps/api" });
        expect(findings[0]!.message).to.contain("Secret apps/api-secrets").and.contain("preinstalled.objects");
    });

    it("accepts a Secret the stack renders, one an ExternalSecret syncs, and one the config declares on a kubeconfig cluster", () => {
        const objects = [
            namespace(NS),
            object("v1", "Secret", "rendered", NS, { data: { token: "[secret: redacted]" } }),
            object("external-secrets.io/v1", "ExternalSecret", "synced", NS, {
                spec: { secretStoreRef: { name: "vault" }, target: { name: "synced-target" }, data: [{ secretKey: "token" }] },
            }),
            object("external-secrets.io/v1", "SecretStore", "vault", NS),
            deployment("a", NS, { containers: [secretEnv("rendered", "token")] }),
            deployment("b", NS, { containers: [secretEnv("synced-target", "token")] }),
            deployment("c", NS, { containers: [secretEnv("declared", "token")] }),
        ];
        const declared = facts();
        declared.declared.objects.push({ kind: "Secret", name: "declared", source: "agent-platform:x.existingSecret.name" });
        expect(referenceFindings(objects, declared)).to.deep.equal([]);
    });

    it("reports a declared pre-existing Secret on a cluster the stack creates", () => {
        const aks = facts({ clusterCreatedByStack: true });
        aks.declared.objects.push({ kind: "Secret", name: "declared", source: "agent-platform:agentRuntime.secrets.existingSecret.name" });
        const findings = referenceFindings([namespace(NS), deployment("c", NS, { containers: [secretEnv("declared", "token")] })], aks);
        expect(findings.map((f) => f.message)).to.have.length(1);
        expect(findings[0]!.message).to.contain("agent-platform:agentRuntime.secrets.existingSecret.name").and.contain("nothing exists before the first `up`");
    });

    it("reports a key the rendered Secret or the ExternalSecret will not hold", () => {
        const objects = [
            namespace(NS),
            object("v1", "Secret", "rendered", NS, { data: { other: "[secret: redacted]" } }),
            object("external-secrets.io/v1", "ExternalSecret", "synced", NS, { spec: { secretStoreRef: { name: "vault" }, data: [{ secretKey: "a" }] } }),
            object("external-secrets.io/v1", "SecretStore", "vault", NS),
            deployment("a", NS, { containers: [secretEnv("rendered", "token")] }),
            deployment("b", NS, { containers: [secretEnv("synced", "b")] }),
        ];
        const messages = referenceFindings(objects, facts()).map((f) => f.message);
        expect(messages).to.have.length(2);
        expect(messages[0]).to.contain('reads key "token"').and.contain("fills with other");
        expect(messages[1]).to.contain('reads key "b"').and.contain("ExternalSecret synced fills with a");
    });

    it("ignores optional references, the default ServiceAccount and kube-root-ca.crt", () => {
        const spec = {
            serviceAccountName: "default",
            containers: [container("app", { env: [{ name: "X", valueFrom: { secretKeyRef: { name: "maybe", key: "k", optional: true } } }] })],
            volumes: [{ name: "ca", projected: { sources: [{ configMap: { name: "kube-root-ca.crt" } }] } }],
        };
        expect(referenceFindings([namespace(NS), deployment("a", NS, spec)], facts())).to.deep.equal([]);
    });

    it("reports volumes, envFrom, PVCs and ServiceAccounts, one finding per missing object", () => {
        const spec = {
            serviceAccountName: "runner",
            containers: [
                container("app", {
                    envFrom: [{ configMapRef: { name: "settings" } }],
                    env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "settings", key: "a" } } }],
                }),
            ],
            volumes: [
                { name: "data", persistentVolumeClaim: { claimName: "data" } },
                { name: "certs", secret: { secretName: "certs" } },
            ],
        };
        const findings = referenceFindings([namespace(NS), deployment("a", NS, spec)], facts());
        expect(findings).to.have.length(4);
        expect(findings.map((f) => f.message).join("\n"))
            .to.contain("ConfigMap apps/settings")
            .and.contain("PersistentVolumeClaim apps/data")
            .and.contain("Secret apps/certs")
            .and.contain("ServiceAccount apps/runner");
    });

    it("warns, not fails, for a missing image pull Secret", () => {
        const findings = referenceFindings(
            [namespace(NS), deployment("a", NS, { imagePullSecrets: [{ name: "regcred" }], containers: [container("app")] })],
            facts(),
        );
        expect(findings.map((f) => f.severity)).to.deep.equal(["warning"]);
    });

    it("reports an object in a namespace nobody creates, and an ExternalSecret whose store is missing", () => {
        const findings = referenceFindings(
            [object("external-secrets.io/v1", "ExternalSecret", "s", "ghost", { spec: { secretStoreRef: { name: "nope" } } })],
            facts(),
        );
        expect(findings.map((f) => f.message).join("\n"))
            .to.contain('namespaces "ghost" not found')
            .and.contain("SecretStore nope is not rendered");
    });
});

describe("readiness facts: existing references in config", () => {
    it("finds existingSecret, pull Secret lists, extra env Secrets and ConfigMaps, and skips disabled blocks", () => {
        const config = {
            agentRuntime: { enabled: true, secrets: { mode: "existing", existingSecret: { name: "runtime" } } },
            images: { pullSecrets: ["regcred"] },
            agentBackend: {
                enabled: true,
                extraEnvVarsSecrets: ["extra"],
                extraEnvVarsCMs: ["cm"],
                extraEnv: [{ name: "X", valueFrom: { secretKeyRef: { name: "ref", key: "k" } } }],
            },
            aiAgents: { enabled: false, secrets: { existingSecret: { name: "ignored" } } },
        };
        expect(existingReferences(config).map((r) => `${r.kind}/${r.name} <- ${r.source}`)).to.deep.equal([
            "Secret/runtime <- agentRuntime.secrets.existingSecret.name",
            "Secret/regcred <- images.pullSecrets[0]",
            "Secret/extra <- agentBackend.extraEnvVarsSecrets[0]",
            "ConfigMap/cm <- agentBackend.extraEnvVarsCMs[0]",
            "Secret/ref <- agentBackend.extraEnv[0].valueFrom.secretKeyRef.name",
        ]);
    });
});
