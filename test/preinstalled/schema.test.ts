/**
 * The `preinstalled` block: what a kubeconfig cluster already has. Its declarations feed the
 * readiness pass (test/tools/readiness/); here, what the block accepts and refuses.
 */
import { expect } from "chai";
import { configProblems, testConfig } from "../helpers/stack-config";

describe("preinstalled block", () => {
    it("declares nothing by default", () => {
        expect(testConfig().preinstalled).to.deep.equal({ objects: [], ingressClasses: [], gatewayClasses: [], gateways: [], issuers: [], crdGroups: [] });
    });

    it("takes namespaced objects with their namespace, a Namespace without one, and issuers of both kinds", () => {
        const preinstalled = testConfig({
            preinstalled: {
                objects: [
                    { kind: "Secret", namespace: "agent-platform", name: "runtime-secrets" },
                    { kind: "Namespace", name: "shared" },
                ],
                ingressClasses: ["nginx"],
                gateways: [{ namespace: "gateways", name: "public" }],
                issuers: [
                    { kind: "ClusterIssuer", name: "letsencrypt" },
                    { kind: "Issuer", namespace: "agent-platform", name: "internal-ca" },
                ],
                crdGroups: ["monitoring.coreos.com"],
            },
        }).preinstalled;
        expect(preinstalled.objects).to.have.length(2);
        expect(preinstalled.issuers.map((issuer) => issuer.name)).to.deep.equal(["letsencrypt", "internal-ca"]);
        expect(preinstalled.crdGroups).to.deep.equal(["monitoring.coreos.com"]);
    });

    it("names every misplaced or missing namespace at once, with the key path", () => {
        const problems = configProblems({
            preinstalled: {
                objects: [
                    { kind: "Namespace", namespace: "x", name: "shared" },
                    { kind: "ConfigMap", name: "settings" },
                ],
                issuers: [
                    { kind: "Issuer", name: "internal-ca" },
                    { kind: "ClusterIssuer", namespace: "x", name: "letsencrypt" },
                ],
            },
        });
        expect(problems).to.deep.equal([
            "agent-platform:preinstalled.objects[0].namespace: is not allowed for a Namespace (allowed: `kind` and `name` only)",
            "agent-platform:preinstalled.objects[1].namespace: is required for a ConfigMap (allowed: the namespace it lives in)",
            "agent-platform:preinstalled.issuers[0].namespace: is required for an Issuer and not allowed for a ClusterIssuer",
            "agent-platform:preinstalled.issuers[1].namespace: is required for an Issuer and not allowed for a ClusterIssuer",
        ]);
    });

    it("refuses a kind it cannot check, a name that is no object name and a group that is no API group", () => {
        const problems = configProblems({
            preinstalled: { objects: [{ kind: "Deployment", namespace: "x", name: "api" }], ingressClasses: ["Nginx"], crdGroups: ["monitoring"] },
        }).join("\n");
        expect(problems).to.contain(
            "agent-platform:preinstalled.objects[0].kind: 'Deployment' is not allowed (allowed: Secret, ConfigMap, PersistentVolumeClaim, ServiceAccount, Namespace, Service)",
        );
        expect(problems).to.contain("agent-platform:preinstalled.ingressClasses[0]: must be a Kubernetes object name");
        expect(problems).to.contain("agent-platform:preinstalled.crdGroups[0]: must be an API group");
    });
});
