/**
 * AzureMysql: Azure Database for MySQL Flexible Server with one database, an administrator
 * password generated once by @pulumi/random (kept secret in state, so it never changes between
 * deploys), automated backups, optional zone-redundant HA and firewall rules. Its connection
 * settings are outputs meant to feed a service's database settings directly.
 */
import * as dbformysql from "@pulumi/azure-native/dbformysql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AzurePlacement } from "./azure-placement";
import type { MysqlConfig } from "./config";

export interface AzureMysqlArgs extends AzurePlacement {
    config: MysqlConfig;
}

/** What a service needs to connect; `password` is a secret. */
export interface MysqlConnection {
    host: pulumi.Output<string>;
    port: number;
    database: pulumi.Output<string>;
    username: string;
    password: pulumi.Output<string>;
}

export function mysqlServerName(args: Pick<AzureMysqlArgs, "config" | "stack">): string {
    return args.config.serverName ?? `agent-platform-${args.stack}-mysql`;
}

/** Server inputs apart from names and the password (pure, for tests). */
export function buildMysqlServerSpec(config: MysqlConfig, location: string, tags: Record<string, string>) {
    return {
        location,
        version: config.version,
        sku: { name: config.skuName, tier: config.tier },
        administratorLogin: config.administratorLogin,
        storage: { storageSizeGB: config.storageSizeGb, autoGrow: "Enabled" },
        backup: { backupRetentionDays: config.backupRetentionDays, geoRedundantBackup: config.geoRedundantBackup ? "Enabled" : "Disabled" },
        highAvailability: { mode: config.highAvailability },
        network: { publicNetworkAccess: config.allowedCidrs.length > 0 ? "Enabled" : "Disabled" },
        tags,
    };
}

/** First and last address of an IPv4 CIDR, as Azure firewall rules want them. */
export function cidrRange(cidr: string): { start: string; end: string } {
    const [address, bits] = cidr.split("/") as [string, string];
    const toInt = (ip: string) => ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const toIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
    const size = 2 ** (32 - Number(bits));
    const start = Math.floor(toInt(address) / size) * size;
    return { start: toIp(start), end: toIp(start + size - 1) };
}

export class AzureMysql extends pulumi.ComponentResource {
    readonly connection: MysqlConnection;

    constructor(name: string, args: AzureMysqlArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:azure:AzureMysql", name, {}, opts);
        const { config } = args;
        const serverName = mysqlServerName(args);
        const password = new random.RandomPassword(
            `${name}-admin-password`,
            // Three character classes as Azure requires; specials limited to ones that need no quoting in URLs or shells.
            { length: 32, special: true, overrideSpecial: "-_.~", minUpper: 2, minLower: 2, minNumeric: 2, minSpecial: 1 },
            { parent: this },
        );
        const server = new dbformysql.Server(
            `${name}-server`,
            {
                resourceGroupName: args.resourceGroupName,
                serverName,
                administratorLoginPassword: password.result,
                ...buildMysqlServerSpec(config, args.location, args.tags),
            },
            { parent: this, ignoreChanges: ["storage.storageSizeGB"] }, // auto-grow moves it
        );
        const database = new dbformysql.Database(
            `${name}-database`,
            { resourceGroupName: args.resourceGroupName, serverName: server.name, databaseName: config.databaseName, charset: "utf8mb4", collation: "utf8mb4_0900_ai_ci" },
            { parent: this },
        );
        config.allowedCidrs.forEach((cidr, index) => {
            const range = cidrRange(cidr);
            new dbformysql.FirewallRule(
                `${name}-firewall-${index}`,
                { resourceGroupName: args.resourceGroupName, serverName: server.name, firewallRuleName: `allow-${index}`, startIpAddress: range.start, endIpAddress: range.end },
                { parent: this },
            );
        });
        this.connection = {
            host: server.fullyQualifiedDomainName.apply((fqdn) => fqdn ?? `${serverName}.mysql.database.azure.com`),
            port: 3306,
            database: database.name,
            username: config.administratorLogin,
            password: pulumi.secret(password.result),
        };
        this.registerOutputs({ host: this.connection.host, database: this.connection.database });
    }
}
