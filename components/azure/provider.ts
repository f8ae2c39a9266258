/**
 * The stack's explicit azure-native provider. Pulumi.yaml disables the default provider, so the
 * wiring creates this one for an AKS stack and hands it to every Azure component through
 * `opts.providers`; their resources and invokes inherit it from their parent.
 *
 * Settings the stack file does not give come from the provider's environment as usual
 * (`ARM_SUBSCRIPTION_ID`, `ARM_TENANT_ID`, `ARM_USE_OIDC`/`ARM_CLIENT_ID` in CI, or the Azure CLI
 * login). Explicit providers never read `azure-native:*` stack config, so the settings that
 * belong to the stack are in `cluster.aks`.
 */
import type { ProviderArgs } from "@pulumi/azure-native/provider";
import type { AksConfig } from "../aks/schema";

export function azureProviderArgs(aks: Pick<AksConfig, "location" | "subscriptionId" | "tenantId">): ProviderArgs {
    return {
        // The default region of resource groups that name none; every resource here names its own.
        location: aks.location,
        ...(aks.subscriptionId !== undefined ? { subscriptionId: aks.subscriptionId } : {}),
        ...(aks.tenantId !== undefined ? { tenantId: aks.tenantId } : {}),
    };
}
