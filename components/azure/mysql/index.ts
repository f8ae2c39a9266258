/**
 * AzureMysql: Azure Database for MySQL Flexible Server in private access, with one database, an
 * administrator password generated once by @pulumi/random (kept secret in state, so it never
 * changes between deploys), automated backups and optional zone-redundant HA.
 *
 * Private access (https://learn.microsoft.com/azure/mysql/flexible-server/concepts-networking-vnet):
 * the server is injected into the stack network's subnet delegated to
 * Microsoft.DBforMySQL/flexibleServers and has no public endpoint; its name resolves through a
 * private DNS zone `<server>.private.mysql.database.azure.com` (zone names must end in
 * `mysql.database.azure.com`) linked to the virtual network. The link exists before the server,
 * which checks it at creation. Clients must use TLS: `require_secure_transport` is ON by default
 * on Flexible Server and set explicitly here so it cannot drift
 * (https://learn.microsoft.com/azure/mysql/flexible-server/how-to-connect-tls-ssl).
 *
 * Its connection settings feed a service's database settings directly, including where the
 * server is for the NetworkPolicy: TCP 3306 to the delegated subnet.
 */
import * as dbformysql from "@pulumi/azure-native/dbformysql";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { defaultMysqlServerName, NAME_SUFFIX_SPEC } from "../names";
import type { StackSubnet } from "../network";
import type { AzurePlacement } from "../placement";
import type { MysqlConfig } from "./schema";
import type { EgressPeer } from "../../network-policy";

export const MYSQL_PORT = 3306;

export interface AzureMysqlArgs extends AzurePlacement {
    config: MysqlConfig;
    /** The stack's virtual network: the server's subnet (delegated to MySQL) and the VNet its DNS zone is linked to. */
    network: { vnetId: pulumi.Input<string>; mysqlSubnet: StackSubnet };
}

/** What a service needs to connect; `password` is a secret. */
export interface MysqlConnection {
    host: pulumi.Output<string>;
    port: number;
    database: pulumi.Output<string>;
    username: string;
    password: pulumi.Output<string>;
    /** Where the server is, for a client's NetworkPolicy: the delegated subnet on TCP 3306. */
    egress: EgressPeer;
}

/**
 * The server's name: `azure.mysql.serverName` as configured (checked by the config layer), else
 * `agent-platform-<stack>-mysql-<suffix>` with the stack's random suffix (azure/names.ts).
 */
export function mysqlServerName(args: Pick<AzureMysqlArgs, "config" | "stack">, suffix: string): string {
    return args.config.serverName ?? defaultMysqlServerName(args.stack, suffix);
}

/** The private DNS zone of a server in private access. */
export function mysqlPrivateDnsZoneName(serverName: string): string {
    return `${serverName}.private.mysql.database.azure.com`;
}

/** Server inputs apart from names, the network ids and the password (pure, for tests). */
export function buildMysqlServerSpec(config: MysqlConfig, location: string, tags: Record<string, string>) {
    return {
        location,
        version: config.version,
        sku: { name: config.skuName, tier: config.tier },
        administratorLogin: config.administratorLogin,
        storage: { storageSizeGB: config.storageSizeGb, autoGrow: "Enabled" },
        backup: { backupRetentionDays: config.backupRetentionDays, geoRedundantBackup: config.geoRedundantBackup ? "Enabled" : "Disabled" },
        highAvailability: { mode: config.highAvailability },
        tags,
    };
}

/** Private access: the delegated subnet and the private DNS zone; no public endpoint. */
export function buildMysqlNetworkSpec(delegatedSubnetResourceId: pulumi.Input<string>, privateDnsZoneResourceId: pulumi.Input<string>) {
    return { delegatedSubnetResourceId, privateDnsZoneResourceId, publicNetworkAccess: "Disabled" };
}

/** The NetworkPolicy peer of a server in `subnet`: exactly that range, on the MySQL port. */
export function mysqlEgress(subnet: Pick<StackSubnet, "cidr">): EgressPeer {
    return { cidr: subnet.cidr, ports: [{ port: MYSQL_PORT, protocol: "TCP" }] };
}

export class AzureMysql extends pulumi.ComponentResource {
    readonly connection: MysqlConnection;

    constructor(name: string, args: AzureMysqlArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:azure:AzureMysql", name, {}, opts);
        const { config } = args;
        // The default name's suffix: generated on the first `up`, then kept in state; none for a configured name.
        const serverName =
            config.serverName !== undefined
                ? pulumi.output(config.serverName)
                : new random.RandomString(`${name}-name-suffix`, { ...NAME_SUFFIX_SPEC }, { parent: this }).result.apply((suffix) =>
                      mysqlServerName(args, suffix),
                  );
        const password = new random.RandomPassword(
            `${name}-admin-password`,
            // Three character classes as Azure requires; specials limited to ones that need no quoting in URLs or shells.
            { length: 32, special: true, overrideSpecial: "-_.~", minUpper: 2, minLower: 2, minNumeric: 2, minSpecial: 1 },
            { parent: this },
        );
        // Private DNS zones and their links are global resources.
        const zone = new privatedns.PrivateZone(
            `${name}-dns-zone`,
            { resourceGroupName: args.resourceGroupName, privateZoneName: serverName.apply(mysqlPrivateDnsZoneName), location: "global", tags: args.tags },
            { parent: this },
        );
        const link = new privatedns.VirtualNetworkLink(
            `${name}-dns-link`,
            {
                resourceGroupName: args.resourceGroupName,
                privateZoneName: zone.name,
                virtualNetworkLinkName: pulumi.interpolate`${serverName}-vnet`,
                location: "global",
                virtualNetwork: { id: args.network.vnetId },
                registrationEnabled: false,
                tags: args.tags,
            },
            { parent: this },
        );
        const server = new dbformysql.Server(
            `${name}-server`,
            {
                resourceGroupName: args.resourceGroupName,
                serverName,
                administratorLoginPassword: password.result,
                ...buildMysqlServerSpec(config, args.location, args.tags),
                network: buildMysqlNetworkSpec(args.network.mysqlSubnet.id, zone.id),
            },
            // The zone must resolve in the VNet when the server is created; auto-grow moves the storage size.
            { parent: this, dependsOn: [link], ignoreChanges: ["storage.storageSizeGB"] },
        );
        const requireTls = new dbformysql.Configuration(
            `${name}-require-tls`,
            {
                resourceGroupName: args.resourceGroupName,
                serverName: server.name,
                configurationName: "require_secure_transport",
                value: "ON",
                source: "user-override",
            },
            { parent: this },
        );
        const database = new dbformysql.Database(
            `${name}-database`,
            {
                resourceGroupName: args.resourceGroupName,
                serverName: server.name,
                databaseName: config.databaseName,
                charset: "utf8mb4",
                collation: "utf8mb4_0900_ai_ci",
            },
            // One server operation at a time.
            { parent: this, dependsOn: [requireTls] },
        );
        this.connection = {
            // The public name: in the linked VNet it resolves, through the private zone, to the server's private address.
            host: pulumi.all([server.fullyQualifiedDomainName, serverName]).apply(([fqdn, fallback]) => fqdn ?? `${fallback}.mysql.database.azure.com`),
            port: MYSQL_PORT,
            database: database.name,
            username: config.administratorLogin,
            password: pulumi.secret(password.result),
            egress: mysqlEgress(args.network.mysqlSubnet),
        };
        this.registerOutputs({ host: this.connection.host, database: this.connection.database });
    }
}
