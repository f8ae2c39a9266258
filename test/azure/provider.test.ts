/**
 * The stack's explicit azure-native provider: its region, subscription and tenant.
 */
import { expect } from "chai";
import { azureProviderArgs } from "../../components/azure/provider";
import { configProblems } from "../helpers/stack-config";

const problems = configProblems;
describe("the azure-native provider", () => {
    it("takes the region, and subscription and tenant only when the stack file sets them", () => {
        expect(azureProviderArgs({ location: "westeurope" })).to.deep.equal({ location: "westeurope" });
        const ids = { subscriptionId: "6f1c8e9a-0b1d-4c2e-9f3a-5b6c7d8e9f01", tenantId: "7a2d9f0b-1c2e-4d3f-8a4b-6c7d8e9f0a12" };
        expect(azureProviderArgs({ location: "westeurope", ...ids })).to.deep.equal({ location: "westeurope", ...ids });
    });
    it("refuses a subscription that is not an id", () => {
        expect(problems({ cluster: { target: "aks", aks: { location: "westeurope", subscriptionId: "prod" } } })[0]).to.match(
            /^agent-platform:cluster\.aks\.subscriptionId: must be an Azure subscription id/,
        );
    });
});
