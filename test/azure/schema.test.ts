/**
 * The `azure` block: Azure services need the aks target; MySQL's own rules.
 */
import { expect } from "chai";
import { configProblems } from "../helpers/stack-config";

const AKS = { target: "aks", aks: { location: "westeurope" } };

const problems = configProblems;
describe("azure config", () => {
    it("refuses Azure services without the aks target", () => {
        expect(problems({ cluster: { kubeconfigPath: "/k" }, azure: { mysql: { enabled: true }, keyVault: { enabled: true } } })).to.deep.equal([
            "agent-platform:azure.mysql.enabled: needs `cluster.target: aks` (its resource group, region and OIDC issuer) (allowed: false with a kubeconfig target)",
            "agent-platform:azure.keyVault.enabled: needs `cluster.target: aks` (its resource group, region and OIDC issuer) (allowed: false with a kubeconfig target)",
        ]);
    });
    it("refuses high availability on the Burstable tier", () => {
        expect(problems({ cluster: AKS, azure: { mysql: { enabled: true, tier: "Burstable", highAvailability: "ZoneRedundant" } } })).to.deep.equal([
            "agent-platform:azure.mysql.highAvailability: is not available on the Burstable tier (allowed: Disabled, or tier GeneralPurpose / MemoryOptimized)",
        ]);
    });
    it("no longer takes firewall rules: a private server has no public endpoint", () => {
        expect(problems({ cluster: AKS, azure: { mysql: { enabled: true, allowedCidrs: ["20.50.1.0/24"] } } })[0]).to.match(
            /^agent-platform:azure\.mysql\.allowedCidrs: unknown key/,
        );
    });
});
