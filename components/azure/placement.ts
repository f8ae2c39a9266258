/** Where the stack's Azure services live: the AKS cluster's resource group and region. */
import type * as pulumi from "@pulumi/pulumi";

export interface AzurePlacement {
    /** Stack name, for default resource names. */
    stack: string;
    resourceGroupName: pulumi.Input<string>;
    location: string;
    /** Azure tags on every resource. */
    tags: Record<string, string>;
}
