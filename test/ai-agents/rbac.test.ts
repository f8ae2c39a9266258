/**
 * RBAC: least privilege per process, namespaced only (tier 1); the ServiceAccounts, Roles and
 * RoleBindings under mocks, schema-valid (tier 2).
 */
import { expect } from "chai";
import { AiAgentsRbac, buildApiRules, buildExecutorRules, buildProcessorRules, buildWebhookRules, PolicyRule } from "../../components/ai-agents/rbac";
import { recordComponents } from "../helpers/record";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { renderPlatform, resolvedPlatform } from "./fixtures";

const CRDS = ["inferencerequests", "aimodels", "aiagents", "aiconfigs", "aiinstructions", "webhooksources"];
const verbsOn = (rules: PolicyRule[], group: string, resource: string) =>
    rules.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs);

describe("ai-agents RBAC rules", () => {
    it("let the API manage its CRDs and their status, run Jobs and write Secrets without listing them", () => {
        const rules = buildApiRules(resolvedPlatform());
        for (const plural of CRDS) {
            expect(verbsOn(rules, "labrats.work", plural)).to.have.members(["get", "list", "watch", "create", "update", "patch", "delete"]);
            expect(verbsOn(rules, "labrats.work", `${plural}/status`)).to.have.members(["get", "update", "patch"]);
        }
        expect(verbsOn(rules, "batch", "jobs")).to.have.members(["get", "list", "watch", "create", "delete"]);
        expect(verbsOn(rules, "", "secrets")).to.have.members(["get", "create", "update", "patch", "delete"]);
    });

    it("let the API reconcile webhook Deployments, Services and Ingresses only when it provisions them", () => {
        const provisioning = buildApiRules(resolvedPlatform());
        expect(verbsOn(provisioning, "apps", "deployments")).to.include("create");
        expect(verbsOn(provisioning, "", "services")).to.include("create");
        expect(verbsOn(provisioning, "networking.k8s.io", "ingresses")).to.include("create");
        const staticRules = buildApiRules(resolvedPlatform({ webhooks: { provisioning: "static" } }));
        expect(staticRules.flatMap((r) => r.resources)).not.to.include.members(["deployments", "services", "ingresses"]);
    });

    it("let the processor read its CRDs, update InferenceRequests and statuses, and run Jobs, nothing else", () => {
        const rules = buildProcessorRules();
        expect(verbsOn(rules, "labrats.work", "aimodels")).to.have.members(["get", "list", "watch"]);
        expect(verbsOn(rules, "labrats.work", "inferencerequests")).to.have.members(["get", "list", "watch", "update", "patch"]);
        expect(rules.flatMap((r) => r.resources)).not.to.include("secrets");
    });

    it("give executors write-back to the named credential Secrets only, and no rule when none is named", () => {
        expect(buildExecutorRules(resolvedPlatform())).to.deep.equal([]);
        expect(buildExecutorRules(resolvedPlatform({ executor: { credentialSecrets: ["claude-credentials"] } }))).to.deep.equal([
            { apiGroups: [""], resources: ["secrets"], verbs: ["get", "update", "patch"], resourceNames: ["claude-credentials"] },
        ]);
    });

    it("let a webhook receiver read only its own WebhookSource and create InferenceRequests", () => {
        expect(buildWebhookRules("github")).to.deep.equal([
            { apiGroups: ["labrats.work"], resources: ["webhooksources"], verbs: ["get", "list", "watch"], resourceNames: ["github"] },
            { apiGroups: ["labrats.work"], resources: ["inferencerequests"], verbs: ["create"] },
        ]);
    });

    it("never use wildcards", () => {
        const all = [...buildApiRules(resolvedPlatform()), ...buildProcessorRules(), ...buildWebhookRules("github")];
        for (const rule of all) for (const value of [...rule.apiGroups, ...rule.resources, ...rule.verbs]) expect(value).not.to.equal("*");
    });
});

describe("AiAgentsRbac component", () => {
    it("binds each Role to the ServiceAccount of the same name, namespaced, schema-valid", async () => {
        const resolved = resolvedPlatform({ processor: { enabled: true }, executor: { credentialSecrets: ["creds"] } });
        const r = await recordComponents((provider) => new AiAgentsRbac("rbac", { resolved }, { providers: [provider] }));
        for (const object of r.objects) await validateAgainstSchema(object);
        const roles = r.objects.filter((o) => o.kind === "Role").map((o) => o.metadata.name);
        expect(roles).to.have.members(["ai-agents-api", "ai-agents-processor", "ai-agents-executor"]);
        for (const binding of r.objects.filter((o) => o.kind === "RoleBinding") as any[]) {
            expect(binding.roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: binding.metadata.name });
            expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: binding.metadata.name, namespace: "ai-agents" }]);
        }
        const accounts = Object.fromEntries(
            r.objects.filter((o) => o.kind === "ServiceAccount").map((o: any) => [o.metadata.name, o.automountServiceAccountToken]),
        );
        expect(accounts).to.deep.equal({
            "ai-agents-api": false,
            "ai-agents-app": false,
            "ai-agents-processor": false,
            "ai-agents-executor": true,
            "ai-agents-cleanup": false,
        });
    });

    it("creates no cluster-wide RBAC anywhere in the platform", async () => {
        const r = await renderPlatform({ processor: { enabled: true }, webhooks: { provisioning: "static", sources: ["github"] } });
        expect(r.objects.filter((o) => o.kind.startsWith("Cluster"))).to.deep.equal([]);
    });

    it("names the executor's ServiceAccount as configured, and EXECUTOR_SERVICE_ACCOUNT follows", async () => {
        const r = await renderPlatform({ executor: { serviceAccountName: "runner" } });
        expect(r.objects.some((o) => o.kind === "ServiceAccount" && o.metadata.name === "runner")).to.equal(true);
        expect(r.objects.filter((o) => o.kind === "ConfigMap").some((o: any) => o.data?.EXECUTOR_SERVICE_ACCOUNT === "runner")).to.equal(true);
    });
});
