/**
 * What the platform hands every service component besides its own config block: where it
 * runs and what the stack provides. `index.ts` builds one and spreads it into each service.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { NetworkPolicyConfig } from "../network-policy/schema";
import type { SharedImageSettings } from "../pod";
import type { StackKeyVault } from "../secrets/resolve";

export interface ServiceContext {
    /** Registry override and the pull Secrets every pod gets. */
    images: SharedImageSettings;
    /** The platform namespace. */
    namespace: pulumi.Input<string>;
    /** The cluster's network policy facts; each service's own choices are in its config block. */
    networkPolicy: NetworkPolicyConfig;
    /** Replaces `{domain}` in ingress hosts. */
    platformDomain?: string;
    /** The stack's own Key Vault: fills `secrets.external` where the stack file leaves it out. */
    keyVault?: StackKeyVault;
    /** What ExternalSecrets wait for: the secrets the stack writes into its vault and the reader's access. @default [] */
    keyVaultReady?: pulumi.Resource[];
    /** What installs CRDs (the add-on charts); custom resources wait for it. @default [] */
    crdsReady?: pulumi.Resource[];
}
