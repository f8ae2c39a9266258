/** The `azure.mysql` block: the stack's MySQL Flexible Server. */
import { z } from "zod";
import { azureName, MYSQL_SERVER_NAME } from "../names";

export const mysqlBlock = z
    .strictObject({
        enabled: z.boolean().default(false).meta({ description: "Create an Azure Database for MySQL Flexible Server (needs `cluster.target: aks`)." }),
        serverName: azureName(
            MYSQL_SERVER_NAME,
            "Server name, globally unique (it becomes `<name>.mysql.database.azure.com`); default `agent-platform-<stack>-mysql-<suffix>`, the prefix cut to fit 63 characters and a random 6-character suffix generated once and kept in state.",
        ).optional(),
        version: z.enum(["8.0.21", "8.4"]).default("8.0.21").meta({ description: "MySQL version." }),
        skuName: z.string().min(1).default("Standard_D2ads_v5").meta({ description: "Compute size, e.g. Standard_B1ms, Standard_D2ads_v5." }),
        tier: z.enum(["Burstable", "GeneralPurpose", "MemoryOptimized"]).default("GeneralPurpose").meta({ description: "Compute tier of `skuName`." }),
        storageSizeGb: z.number().int().min(20).max(16384).default(64).meta({ description: "Storage size; it grows automatically when full." }),
        backupRetentionDays: z.number().int().min(1).max(35).default(7).meta({ description: "Days of automated backups kept." }),
        geoRedundantBackup: z.boolean().default(false).meta({ description: "Copy backups to the paired region (fixed at creation)." }),
        highAvailability: z
            .enum(["Disabled", "ZoneRedundant", "SameZone"])
            .default("Disabled")
            .meta({ description: "A standby server; ZoneRedundant survives a zone outage (not on Burstable)." }),
        databaseName: z
            .string()
            .regex(/^[a-zA-Z0-9_]{1,64}$/, "must be a MySQL database name")
            .default("agent_backend")
            .meta({ description: "Database created on the server." }),
        administratorLogin: z
            .string()
            .regex(/^[a-z][a-z0-9_]{0,31}$/, "must be a MySQL user name")
            .default("agentadmin")
            .meta({ description: "Administrator user; its password is generated once and kept secret in state." }),
    })
    .superRefine((mysql, ctx) => {
        if (mysql.highAvailability !== "Disabled" && mysql.tier === "Burstable") {
            ctx.addIssue({
                code: "custom",
                path: ["highAvailability"],
                message: "is not available on the Burstable tier (allowed: Disabled, or tier GeneralPurpose / MemoryOptimized)",
            });
        }
    })
    .meta({
        description:
            "Azure Database for MySQL Flexible Server for the agent backend, in private access: only reachable from `azure.network` (and networks peered with it), TLS required.",
    });

export type MysqlConfig = z.output<typeof mysqlBlock>;
