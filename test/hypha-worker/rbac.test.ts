/**
 * The worker's RBAC, rule by rule: what the worker's code calls and nothing more, only in
 * the jobs namespace, bound to the worker's ServiceAccount in its own namespace.
 */
import { expect } from "chai";
import { HYPHA_WORKER_RULES } from "../../components/hypha-worker/rbac";
import { renderWorker, workerArgs } from "./worker-args";

const ruleFor = (resource: string) => HYPHA_WORKER_RULES.filter((rule) => rule.resources.includes(resource));

describe("hypha worker RBAC rules", () => {
    it("batch/jobs: create to launch, delete to stop, get/list/watch to follow", () => {
        expect(ruleFor("jobs")).to.deep.equal([{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "delete", "get", "list", "watch"] }]);
    });

    it("pods: get/list/watch, to find a Job's pod by its job-name label and follow it", () => {
        expect(ruleFor("pods")).to.deep.equal([{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }]);
    });

    it("pods/log: get, the only verb of the log subresource", () => {
        expect(ruleFor("pods/log")).to.deep.equal([{ apiGroups: [""], resources: ["pods/log"], verbs: ["get"] }]);
    });

    it("pods/exec: create and get, for WebSocket exec on clusters before and after Kubernetes 1.35", () => {
        expect(ruleFor("pods/exec")).to.deep.equal([{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create", "get"] }]);
    });

    it("has no other rule: no wildcard, no Secrets, no write on pods, no escalation verbs", () => {
        expect(HYPHA_WORKER_RULES).to.have.length(4);
        const all = HYPHA_WORKER_RULES.flatMap((rule) => [...rule.apiGroups, ...rule.resources, ...rule.verbs]);
        expect(all.filter((word) => word.includes("*"))).to.deep.equal([]);
        const resources = HYPHA_WORKER_RULES.flatMap((rule) => rule.resources);
        expect(resources).not.to.include("secrets");
        const verbs = HYPHA_WORKER_RULES.flatMap((rule) => rule.verbs);
        for (const dangerous of ["escalate", "bind", "impersonate", "update", "patch", "deletecollection"]) expect(verbs).not.to.include(dangerous);
        expect(HYPHA_WORKER_RULES.every((rule) => !("resourceNames" in rule) && !("nonResourceURLs" in rule))).to.equal(true);
    });
});

describe("hypha worker RBAC objects", () => {
    it("puts a Role and its RoleBinding in the jobs namespace, naming the worker's ServiceAccount in the worker's namespace", async () => {
        const r = await renderWorker(workerArgs({ jobs: { namespace: "hypha-runs" } }));
        const role: any = r.object("Role");
        expect(role.metadata).to.deep.include({ name: "hypha-k8s-worker", namespace: "hypha-runs" });
        expect(role.rules).to.deep.equal(HYPHA_WORKER_RULES);
        const binding: any = r.object("RoleBinding");
        expect(binding.metadata).to.deep.include({ name: "hypha-k8s-worker", namespace: "hypha-runs" });
        expect(binding.roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "hypha-k8s-worker" });
        expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: "hypha-k8s-worker", namespace: "agents" }]);
        const account: any = r.object("ServiceAccount");
        expect(account.metadata).to.deep.include({ name: "hypha-k8s-worker", namespace: "agents" });
    });

    it("grants nothing cluster-wide and nothing in the worker's own namespace", async () => {
        const r = await renderWorker(workerArgs());
        const rbac = r.objects.filter((o) => o.apiVersion.startsWith("rbac.authorization.k8s.io/"));
        expect(rbac.map((o) => `${o.kind}/${o.metadata.namespace}`).sort()).to.deep.equal(["Role/hypha-jobs", "RoleBinding/hypha-jobs"]);
    });

    it("follows the instance name, and works when the jobs share the worker's namespace", async () => {
        const shared = {
            name: "blue",
            jobs: { namespace: "agents", createNamespace: false, resourceQuota: { enabled: false }, limitRange: { enabled: false } },
        };
        const r = await renderWorker(workerArgs(shared));
        const binding: any = r.object("RoleBinding", "blue");
        expect(binding.metadata.namespace).to.equal("agents");
        expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: "blue", namespace: "agents" }]);
        expect((r.object("Role", "blue") as any).metadata.namespace).to.equal("agents");
        expect((r.object("Deployment") as any).spec.template.spec.serviceAccountName).to.equal("blue");
    });

    it("mounts the API token for the worker's pod only: the ServiceAccount does not mount it by default", async () => {
        const r = await renderWorker(workerArgs());
        expect((r.object("ServiceAccount") as any).automountServiceAccountToken).to.equal(false);
        const pod = (r.object("Deployment") as any).spec.template.spec;
        expect(pod.automountServiceAccountToken).to.equal(true);
        expect(pod.serviceAccountName).to.equal("hypha-k8s-worker");
    });

    it("creates the Deployment only after its RoleBinding, so the worker never runs without its permissions", async () => {
        const r = await renderWorker(workerArgs());
        const deployment = r.recording.resources.find((x) => x.type === "kubernetes:apps/v1:Deployment")!;
        const binding = r.recording.resources.find((x) => x.type === "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")!;
        expect(deployment.dependsOn).to.include(binding.urn);
    });
});
