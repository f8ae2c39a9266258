/**
 * The `cluster` block: a kubeconfig target or an AKS cluster, never both, never the ambient
 * KUBECONFIG.
 */
import { expect } from "chai";
import { configProblems } from "../helpers/stack-config";

function clusterProblems(block: Record<string, unknown>, secret = false): readonly string[] {
    return configProblems({ cluster: block }, secret ? ["agent-platform:cluster"] : []);
}

describe("cluster config", () => {
    it("requires a location for the aks target", () => {
        expect(clusterProblems({ target: "aks", aks: {} })).to.deep.equal(["agent-platform:cluster.aks.location: is required (allowed: a non-empty string)"]);
    });
    it("requires the aks block for the aks target", () => {
        expect(clusterProblems({ target: "aks" })[0]).to.match(/^agent-platform:cluster.aks: the aks target needs `cluster.aks`/);
    });
    it("refuses kubeconfig settings with the aks target", () => {
        expect(clusterProblems({ target: "aks", aks: { location: "westeurope" }, kubeconfigPath: "/k" })).to.deep.equal([
            "agent-platform:cluster.kubeconfigPath: is only used with `cluster.target: kubeconfig`; the aks target makes its own kubeconfig",
        ]);
    });
    it("refuses an aks block with the kubeconfig target", () => {
        expect(clusterProblems({ kubeconfigPath: "/k", aks: { location: "westeurope" } })[0]).to.match(
            /^agent-platform:cluster.aks: is only used with `cluster.target: aks`/,
        );
    });
    it("refuses both a kubeconfig file and a kubeconfig value", () => {
        expect(clusterProblems({ kubeconfigPath: "/k", kubeconfig: "x" }, true)).to.deep.equal([
            "agent-platform:cluster.kubeconfig: set either `cluster.kubeconfig` or `cluster.kubeconfigPath`, not both",
        ]);
    });
    it("refuses a node pool whose minimum exceeds its maximum", () => {
        expect(clusterProblems({ target: "aks", aks: { location: "westeurope", userPool: { minCount: 6, maxCount: 3 } } })).to.deep.equal([
            "agent-platform:cluster.aks.userPool.minCount: must not exceed maxCount (3)",
        ]);
    });
    it("refuses an admin group that is not an object id, and a bad CIDR", () => {
        const problems = clusterProblems({ target: "aks", aks: { location: "westeurope", adminGroupObjectIds: ["admins"], network: { podCidr: "10.0.0.0" } } });
        expect(problems.map((p) => p.split(":").slice(0, 2).join(":"))).to.include.members([
            "agent-platform:cluster.aks.adminGroupObjectIds[0]",
            "agent-platform:cluster.aks.network.podCidr",
        ]);
    });
});
