/**
 * ClusterTarget: one explicit Kubernetes provider for a kubeconfig target, with a stable cluster
 * identity.
 */
import { expect } from "chai";
import { ClusterTarget } from "../../components/cluster";
import { testConfig } from "../helpers/stack-config";
import { REDACTED } from "../../tools/render/wire";
import { recordComponents } from "../helpers/record";

describe("ClusterTarget", () => {
    it("keeps a secret kubeconfig secret all the way into the provider's inputs", async () => {
        const cluster = testConfig({ cluster: { kubeconfig: "PLAINTEXT-KUBECONFIG-VALUE", context: "ctx" } }, ["agent-platform:cluster"]).cluster;
        const { recording } = await recordComponents(() => new ClusterTarget("cluster", { config: cluster, stack: "test" }));
        const provider = recording.resources.find((r) => r.type === "pulumi:providers:kubernetes" && r.name === "cluster-k8s")!;
        expect(provider.inputs["kubeconfig"]).to.equal(REDACTED);
        expect(provider.inputs["clusterIdentifier"]).to.equal("kubeconfig/ctx");
        expect(JSON.stringify(recording)).not.to.contain("PLAINTEXT-KUBECONFIG-VALUE");
    });
});
