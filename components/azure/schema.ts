/** The `azure` block: the virtual network, MySQL Flexible Server and Key Vault next to the AKS cluster. */
import { z } from "zod";
import { keyVaultBlock } from "./keyvault/schema";
import { mysqlBlock } from "./mysql/schema";
import { azureNetworkBlock } from "./network/schema";

export const azureBlock = z
    .strictObject({
        network: azureNetworkBlock.prefault({}),
        mysql: mysqlBlock.prefault({}),
        keyVault: keyVaultBlock.prefault({}),
    })
    .meta({
        description:
            "Azure resources around the cluster, created in the AKS cluster's resource group and region: its virtual network and the services' MySQL and Key Vault.",
    });
