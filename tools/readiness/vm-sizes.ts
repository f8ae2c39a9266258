/**
 * What one AKS node can give pods: the VM size's vCPUs and memory minus what AKS reserves.
 * Sizes: learn.microsoft.com/azure/virtual-machines/sizes (Dv5/Ddv5/Dasv5, Ev5, Fsv2, B).
 * Reservations: learn.microsoft.com/azure/aks/node-resource-reservations — kube-reserved CPU by
 * core count; kube-reserved memory (Kubernetes 1.29+) = min(20 MB x max pods + 50 MB, 25% of
 * memory), plus a 100 Mi hard-eviction threshold. Azure CNI overlay defaults to 250 pods/node.
 */

/** vCPUs and memory (GiB) by VM size; the size families share shapes across suffixes. */
const SHAPES: Record<string, [number, number]> = {};
const family = (names: string[], shapes: [number, number][]) => names.forEach((name, i) => (SHAPES[name.toLowerCase()] = shapes[i]!));
for (const suffix of ["s_v5", "ds_v5", "as_v5", "ads_v5", "s_v4", "ds_v4", "as_v4", "s_v3", "ds_v3", "s_v6", "ds_v6", "as_v6", "ads_v6"]) {
    family(
        ["Standard_D2", "Standard_D4", "Standard_D8", "Standard_D16", "Standard_D32", "Standard_D48", "Standard_D64"].map((n) => n + suffix),
        [
            [2, 8],
            [4, 16],
            [8, 32],
            [16, 64],
            [32, 128],
            [48, 192],
            [64, 256],
        ],
    );
    family(
        ["Standard_E2", "Standard_E4", "Standard_E8", "Standard_E16", "Standard_E32"].map((n) => n + suffix),
        [
            [2, 16],
            [4, 32],
            [8, 64],
            [16, 128],
            [32, 256],
        ],
    );
}
family(
    ["Standard_F2s_v2", "Standard_F4s_v2", "Standard_F8s_v2", "Standard_F16s_v2", "Standard_F32s_v2"],
    [
        [2, 4],
        [4, 8],
        [8, 16],
        [16, 32],
        [32, 64],
    ],
);
family(
    ["Standard_B2s", "Standard_B2ms", "Standard_B4ms", "Standard_B8ms", "Standard_B16ms"],
    [
        [2, 4],
        [2, 8],
        [4, 16],
        [8, 32],
        [16, 64],
    ],
);

/** kube-reserved CPU (millicores) by the node's core count. */
const CPU_RESERVED: [number, number][] = [
    [1, 60],
    [2, 100],
    [4, 140],
    [8, 180],
    [16, 260],
    [32, 420],
    [64, 740],
];

const MAX_PODS = 250;
const MIB = 2 ** 20;

export interface Allocatable {
    /** Cores. */
    cpu: number;
    /** Bytes. */
    memory: number;
}

export function aksAllocatable(vmSize: string): Allocatable | undefined {
    const shape = SHAPES[vmSize.toLowerCase()];
    if (!shape) return undefined;
    const [cores, gib] = shape;
    const reservedMillicores = [...CPU_RESERVED].reverse().find(([n]) => cores >= n)?.[1] ?? 60;
    const memory = gib * 1024 * MIB;
    const kubeReserved = Math.min((20 * MAX_PODS + 50) * 1e6, 0.25 * memory);
    return { cpu: cores - reservedMillicores / 1000, memory: memory - kubeReserved - 100 * MIB };
}
