"""Per-series hardware facts used to derive resource-SKU capabilities.

Every VM size name in ``vm_sku_names.json`` (806 real names, Azure/skewer testdata) is parsed into
``<letters><number>[-<constrained>]<suffix><rest>`` (e.g. ``E4-2ads_v5`` -> ``E``, 4, 2, ``ads``,
``_v5``) and mapped, through a *series key* (``E`` + ``ads`` + ``_v5`` = ``"Eads_v5"``), to one
:class:`Series` entry below.

Sources, in order of preference:

* values seen in real ``Microsoft.Compute/skus`` payloads (the four eastus records in
  ``resource_skus_eastus_sample.json``; public SKU dumps for eastus/westcentralus/koreasouth):
  e.g. ``Standard_DS2_v2`` CachedDiskBytes 92341796864 (86 GiB), ``Standard_D4s_v3`` 100 GiB cache /
  32 GiB temp, ``Standard_D16plds_v5`` 600 GiB temp / 400 GiB cache, ``Standard_B1s`` 30 GiB cache,
  ``Standard_M8-2ms`` 218.75 GiB memory / ParentSize, ``Standard_B2als_v2`` 4 GiB / no temp disk,
  family names such as ``Standard NCASv3_T4 Family`` or ``standardDDCSv3Family`` (quirks kept);
* the published size tables (memory per vCPU, temp-disk and cache sizes, data-disk and NIC limits);
* where neither was available the value is **modelled** (marked ``# modelled``): plausible, in line
  with neighbouring series, but not checked against Azure.

Amounts (memory, temp disk, cache, NVMe) are GiB unless noted. An amount is either a ratio per vCPU
(``float``), an explicit table keyed by the *number in the size name* (``Mapping[int, float]``), or a
ratio with per-size exceptions (``(ratio, {n: value})``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Amount = float | Mapping[int, float] | tuple[float, Mapping[int, float]]
IntTable = Mapping[int, int]

# Availability classes (how widely a series is offered; see skus._offered):
CORE = "core"        # mainstream general purpose / memory / compute: every region
WIDE = "wide"        # newer or niche-but-common series: all but the small regions
SPECIAL = "special"  # GPU/HPC/huge-memory/confidential: big regions only, patchy
LEGACY = "legacy"    # retired or retiring series: a few big regions, mostly restricted
PROMO = "promo"      # *_Promo sizes: listed in big regions, always NotAvailableForSubscription


@dataclass(frozen=True)
class Series:
    family: str
    mem: Amount
    temp: Amount = 0.0
    cache: Amount = 0.0
    hyperv: str = "V1,V2"
    arch: str = "x64"
    premium: bool = True
    acus: int | IntTable | None = None
    per_core: int = 2
    vcpus: IntTable | None = None  # when the number in the name is not the vCPU count (A, D, G...)
    disks: str | IntTable = "modern"
    nics: str | IntTable = "modern"
    an: bool = True  # accelerated networking (never for 1-vCPU sizes)
    low_priority: bool = True
    mpm: bool | None = True  # MemoryPreservingMaintenanceSupported (None: capability absent)
    deploy: str = "IaaS"
    tl_disabled: bool = False
    ephemeral: bool | None = None  # None: premium and (temp or cache)
    eah: bool | None = None  # EncryptionAtHostSupported; None: premium or modern
    modern: bool = False  # v4+/Bv2 generation: capacity reservation, hibernation
    gpus: IntTable | None = None
    rdma: bool = False
    retire: str | None = None  # RetirementDateUtc (MM/DD/YYYY as Azure writes it)
    nvme_mib: Amount = 0.0  # NvmeDiskSizeInMiB (MiB, not GiB)
    cache_bytes: IntTable | None = None  # exact CachedDiskBytes where the real value is not whole GiB
    confidential: str | None = None  # ConfidentialComputingType
    write_accel: IntTable | None = None  # MaxWriteAcceleratorDisksAllowed
    perf: str | None = None  # IOPS/throughput model, see skus._perf
    kind: str = CORE
    notes: tuple[str, ...] = field(default=())


def amount(a: Amount, n: int, vcpus: int) -> float:
    """Resolve an :data:`Amount` for the size numbered ``n`` with ``vcpus`` vCPUs."""
    if isinstance(a, tuple):
        ratio, over = a
        return float(over.get(n, ratio * vcpus))
    if isinstance(a, Mapping):
        return float(a.get(n, 0.0))
    return float(a) * vcpus


# --- shared tables ---------------------------------------------------------------------------

_A_VCPUS = {0: 1, 1: 1, 2: 2, 3: 4, 4: 8, 5: 2, 6: 4, 7: 8}
_A_MEM = {0: 0.75, 1: 1.75, 2: 3.5, 3: 7, 4: 14, 5: 14, 6: 28, 7: 56}
_D1_VCPUS = {1: 1, 2: 2, 3: 4, 4: 8, 5: 16, 11: 2, 12: 4, 13: 8, 14: 16, 15: 20}
_D1_MEM = {1: 3.5, 2: 7, 3: 14, 4: 28, 5: 56, 11: 14, 12: 28, 13: 56, 14: 112, 15: 140}
_D1_TEMP = {1: 50, 2: 100, 3: 200, 4: 400, 5: 800, 11: 100, 12: 200, 13: 400, 14: 800, 15: 1000}
_DS1_TEMP = {1: 7, 2: 14, 3: 28, 4: 56, 5: 112, 11: 28, 12: 56, 13: 112, 14: 224, 15: 280}
_DS1_CACHE = {1: 43, 2: 86, 3: 172, 4: 344, 5: 688, 11: 72, 12: 144, 13: 288, 14: 576, 15: 720}
_G_VCPUS = {1: 2, 2: 4, 3: 8, 4: 16, 5: 32}
_G_MEM = {1: 28, 2: 56, 3: 112, 4: 224, 5: 448}
_NVME_PER_VCPU_MIB = 1831420 / 8  # Lsv2/Lsv3: one 1.92 TB NVMe disk per 8 vCPUs  # modelled

_M_WRITE_ACCEL = {8: 1, 16: 2, 32: 4, 64: 8, 128: 16, 192: 16, 208: 8, 416: 16}
_M_CACHE = {8: 793, 16: 1587, 32: 3174, 64: 6348, 128: 12696}  # M8ms real: 851477266432 B

_E_V3_MEM = (8.0, {64: 432})
_E_V4_MEM = (8.0, {64: 504})
_E_AV4_MEM = (8.0, {96: 672})
_E_V5_MEM = (8.0, {96: 672})

SERIES: dict[str, Series] = {
    # ---- A: legacy general purpose ------------------------------------------------------------
    "Basic:A": Series("basicAFamily", _A_MEM, temp={0: 20, 1: 40, 2: 60, 3: 120, 4: 240}, hyperv="V1",
                      premium=False, per_core=1, vcpus=_A_VCPUS, disks={0: 1, 1: 2, 2: 4, 3: 8, 4: 16},
                      nics={0: 2, 1: 2, 2: 2, 3: 2, 4: 2}, an=False, low_priority=False,
                      deploy="IaaS,PaaS", kind=LEGACY),
    "A": Series("standardA0_A7Family", _A_MEM,
                temp={0: 20, 1: 70, 2: 135, 3: 285, 4: 605, 5: 135, 6: 285, 7: 605}, hyperv="V1",
                premium=False, acus={0: 50, 1: 100, 2: 100, 3: 100, 4: 100, 5: 100, 6: 100, 7: 100},
                per_core=1, vcpus=_A_VCPUS, disks={0: 1, 1: 2, 2: 4, 3: 8, 4: 16, 5: 4, 6: 8, 7: 16},
                nics={0: 2, 1: 2, 2: 2, 3: 2, 4: 4, 5: 2, 6: 2, 7: 4}, an=False, low_priority=False,
                deploy="IaaS,PaaS", kind=LEGACY),
    "A_v2": Series("standardAv2Family", 2.0, temp=10.0, hyperv="V1", premium=False, acus=100, per_core=1,
                   disks={1: 2, 2: 4, 4: 8, 8: 16}, nics={1: 2, 2: 2, 4: 4, 8: 8}, an=False,
                   deploy="IaaS,PaaS", perf="v2np"),
    "Am_v2": Series("standardAv2Family", 8.0, temp=10.0, hyperv="V1", premium=False, acus=100, per_core=1,
                    disks={2: 4, 4: 8, 8: 16}, nics={2: 2, 4: 4, 8: 8}, an=False, deploy="IaaS,PaaS",
                    perf="v2np"),
    # ---- B: burstable ---------------------------------------------------------------------------
    "Bls": Series("standardBSFamily", {1: 0.5}, temp={1: 4}, cache={1: 30}, per_core=1, disks={1: 2},
                  nics={1: 2}, an=False, low_priority=False, perf="bv1"),
    "Bs": Series("standardBSFamily", {1: 1, 2: 4}, temp={1: 4, 2: 8}, cache={1: 30, 2: 30}, per_core=1,
                 disks={1: 2, 2: 4}, nics={1: 2, 2: 3}, an=False, low_priority=False, perf="bv1"),
    "Bms": Series("standardBSFamily", {1: 2, 2: 8, 4: 16, 8: 32, 12: 48, 16: 64, 20: 80},
                  temp={1: 4, 2: 16, 4: 32, 8: 64, 12: 96, 16: 128, 20: 160},
                  cache={1: 30, 2: 30, 4: 30, 8: 30, 12: 30, 16: 30, 20: 30}, per_core=1,
                  disks={1: 2, 2: 4, 4: 8, 8: 16, 12: 16, 16: 32, 20: 32},
                  nics={1: 2, 2: 3, 4: 4, 8: 4, 12: 6, 16: 8, 20: 8}, an=False, low_priority=False, perf="bv1"),
    "Bts_v2": Series("standardBsv2Family", 0.5, nics="bv2", modern=True, perf="v5"),
    "Bls_v2": Series("standardBsv2Family", 2.0, nics="bv2", modern=True, perf="v5"),
    "Bs_v2": Series("standardBsv2Family", 4.0, nics="bv2", modern=True, perf="v5"),
    "Bats_v2": Series("standardBasv2Family", 0.5, nics="bv2", modern=True, perf="v5"),
    "Bals_v2": Series("standardBasv2Family", 2.0, nics="bv2", modern=True, perf="v5"),
    "Bas_v2": Series("standardBasv2Family", 4.0, nics="bv2", modern=True, perf="v5"),
    "Bpts_v2": Series("standardBpsv2Family", 0.5, hyperv="V2", arch="Arm64", per_core=1, nics="bv2",
                      tl_disabled=True, modern=True, perf="v5", kind=WIDE),
    "Bpls_v2": Series("standardBpsv2Family", 2.0, hyperv="V2", arch="Arm64", per_core=1, nics="bv2",
                      tl_disabled=True, modern=True, perf="v5", kind=WIDE),
    "Bps_v2": Series("standardBpsv2Family", 4.0, hyperv="V2", arch="Arm64", per_core=1, nics="bv2",
                     tl_disabled=True, modern=True, perf="v5", kind=WIDE),
    # ---- D v1 / v2 --------------------------------------------------------------------------------
    "D": Series("standardDFamily", _D1_MEM, temp=_D1_TEMP, hyperv="V1", premium=False, acus=160, per_core=1,
                vcpus=_D1_VCPUS, disks="v2", nics="v2", deploy="IaaS,PaaS", perf="v2np", kind=LEGACY),
    "DS": Series("standardDSFamily", _D1_MEM, temp=_DS1_TEMP, cache=_DS1_CACHE, hyperv="V1", acus=160,
                 per_core=1, vcpus=_D1_VCPUS, disks="v2", nics="v2", perf="v2", kind=LEGACY),
    "D_v2": Series("standardDv2Family", _D1_MEM, temp=_D1_TEMP, hyperv="V1", premium=False, acus=210,
                   per_core=1, vcpus=_D1_VCPUS, disks="v2", nics="v2", deploy="IaaS,PaaS", perf="v2np"),
    "DS_v2": Series("standardDSv2Family", _D1_MEM, temp=_DS1_TEMP, cache=_DS1_CACHE, acus=210, per_core=1,
                    vcpus=_D1_VCPUS, disks="v2", nics="v2", perf="v2"),
    "D_v2_Promo": Series("standardDv2PromoFamily", _D1_MEM, temp=_D1_TEMP, hyperv="V1", premium=False,
                         acus=210, per_core=1, vcpus=_D1_VCPUS, disks="v2", nics="v2", low_priority=False,
                         mpm=None, perf="v2np", kind=PROMO),
    "DS_v2_Promo": Series("standardDSv2PromoFamily", _D1_MEM, temp=_DS1_TEMP, cache=_DS1_CACHE, acus=210,
                          per_core=1, vcpus=_D1_VCPUS, disks="v2", nics="v2", low_priority=False, mpm=None,
                          perf="v2", kind=PROMO),
    # ---- D v3 / v4 / v5 -----------------------------------------------------------------------------
    "D_v3": Series("standardDv3Family", 4.0, temp=25.0, hyperv="V1", premium=False, acus=160,
                   deploy="IaaS,PaaS", perf="v3np"),
    "Ds_v3": Series("standardDSv3Family", 4.0, temp=8.0, cache=25.0, acus=160, perf="v3"),
    # Da_v3/Das_v3 are the preview-era names of Dav4/Dasv4; family names modelled.
    "Da_v3": Series("standardDAv3Family", 4.0, temp=25.0, premium=False, acus=230, perf="v3np",
                    kind=SPECIAL, notes=("modelled family",)),
    "Das_v3": Series("standardDASv3Family", 4.0, temp=8.0, cache=25.0, acus=230, perf="v3", kind=SPECIAL,
                     notes=("modelled family",)),
    "D_v4": Series("standardDv4Family", 4.0, premium=False, acus=195, modern=True, perf="v5"),
    "Ds_v4": Series("standardDSv4Family", 4.0, acus=195, modern=True, perf="v5"),
    "Dd_v4": Series("standardDDv4Family", 4.0, temp=37.5, premium=False, acus=195, modern=True, perf="v5"),
    "Dds_v4": Series("standardDDSv4Family", 4.0, temp=37.5, cache=25.0, acus=195, modern=True, perf="v5"),
    "Da_v4": Series("standardDAv4Family", 4.0, temp=25.0, premium=False, acus=230, perf="v3np"),
    "Das_v4": Series("standardDASv4Family", 4.0, temp=8.0, cache=25.0, acus=230, perf="v3"),
    "D_v5": Series("standardDv5Family", 4.0, premium=False, modern=True, perf="v5"),
    "Ds_v5": Series("standardDSv5Family", 4.0, modern=True, perf="v5"),
    "Dd_v5": Series("standardDDv5Family", 4.0, temp=37.5, premium=False, modern=True, perf="v5"),
    "Dds_v5": Series("standardDDSv5Family", 4.0, temp=37.5, cache=25.0, modern=True, perf="v5"),
    "Das_v5": Series("standardDASv5Family", 4.0, modern=True, perf="v5"),
    "Dads_v5": Series("standardDADSv5Family", 4.0, temp=37.5, cache=25.0, modern=True, perf="v5"),
    "Dls_v5": Series("standardDLSv5Family", 2.0, modern=True, perf="v5", kind=WIDE),
    "Dlds_v5": Series("standardDLDSv5Family", 2.0, temp=37.5, cache=25.0, modern=True, perf="v5", kind=WIDE),
    "Dps_v5": Series("standardDPSv5Family", 4.0, hyperv="V2", arch="Arm64", per_core=1, nics="arm",
                     tl_disabled=True, modern=True, perf="v5", kind=WIDE),
    "Dpds_v5": Series("standardDPDSv5Family", 4.0, temp=37.5, cache=25.0, hyperv="V2", arch="Arm64",
                      per_core=1, nics="arm", tl_disabled=True, modern=True, perf="v5", kind=WIDE),
    "Dpls_v5": Series("standardDPLSv5Family", 2.0, hyperv="V2", arch="Arm64", per_core=1, nics="arm",
                      tl_disabled=True, modern=True, perf="v5", kind=WIDE),
    "Dplds_v5": Series("standardDPLDSv5Family", 2.0, temp=37.5, cache=25.0, hyperv="V2", arch="Arm64",
                       per_core=1, nics="arm", tl_disabled=True, modern=True, perf="v5", kind=WIDE),
    # ---- DC: confidential computing -----------------------------------------------------------------
    "DCs": Series("standardDCSFamily", {2: 14, 4: 28}, temp={2: 100, 4: 200}, hyperv="V2", per_core=1,
                  tl_disabled=True, an=False, kind=LEGACY, notes=("modelled",)),
    "DCs_v2": Series("standardDCSv2Family", 4.0, temp=50.0, hyperv="V2", per_core=1, tl_disabled=True,
                     kind=WIDE),
    "DC_v2": Series("standardDCSv2Family", 4.0, temp=50.0, hyperv="V2", per_core=1, tl_disabled=True,
                    kind=WIDE),
    "DCs_v3": Series("standardDCSv3Family", 8.0, hyperv="V2", per_core=1,
                     disks={1: 4, 2: 8, 4: 16, 8: 32, 16: 32, 24: 32, 32: 32, 48: 32},
                     nics={1: 2, 2: 2, 4: 4, 8: 8, 16: 8, 24: 8, 32: 8, 48: 8}, perf="v5", kind=WIDE),
    "DCds_v3": Series("standardDDCSv3Family", 8.0, temp=75.0, hyperv="V2", per_core=1,
                      disks={1: 4, 2: 8, 4: 16, 8: 32, 16: 32, 24: 32, 32: 32, 48: 32},
                      nics={1: 2, 2: 2, 4: 4, 8: 8, 16: 8, 24: 8, 32: 8, 48: 8}, perf="v5", kind=WIDE),
    "DCas_v5": Series("standardDCASv5Family", 4.0, hyperv="V2", tl_disabled=True, confidential="SNP",
                      modern=True, perf="v5", kind=WIDE),
    "DCads_v5": Series("standardDCADSv5Family", 4.0, temp=37.5, hyperv="V2", tl_disabled=True,
                       confidential="SNP", ephemeral=False, modern=True, perf="v5", kind=WIDE),
    "DCas_cc_v5": Series("standardDCACCV5Family", 4.0, hyperv="V2", tl_disabled=True, confidential="SNP",
                         modern=True, perf="v5", kind=SPECIAL),
    "DCads_cc_v5": Series("standardDCADCCV5Family", 4.0, temp=37.5, hyperv="V2", tl_disabled=True,
                          confidential="SNP", ephemeral=False, modern=True, perf="v5", kind=SPECIAL),
    "ECas_v5": Series("standardECASv5Family", _E_V5_MEM, hyperv="V2", tl_disabled=True, confidential="SNP",
                      modern=True, perf="v5", kind=WIDE),
    "ECads_v5": Series("standardECADSv5Family", _E_V5_MEM, temp=37.5, hyperv="V2", tl_disabled=True,
                       confidential="SNP", ephemeral=False, modern=True, perf="v5", kind=WIDE),
    "ECias_v5": Series("standardECIASv5Family", {96: 672}, hyperv="V2", tl_disabled=True, confidential="SNP",
                       modern=True, perf="v5", kind=SPECIAL),
    "ECiads_v5": Series("standardECIADSv5Family", {96: 672}, temp={96: 3600}, hyperv="V2", tl_disabled=True,
                        confidential="SNP", ephemeral=False, modern=True, perf="v5", kind=SPECIAL),
    "ECas_cc_v5": Series("standardECACCV5Family", _E_V5_MEM, hyperv="V2", tl_disabled=True,
                         confidential="SNP", modern=True, perf="v5", kind=SPECIAL),
    "ECads_cc_v5": Series("standardECADCCV5Family", _E_V5_MEM, temp=37.5, hyperv="V2", tl_disabled=True,
                          confidential="SNP", ephemeral=False, modern=True, perf="v5", kind=SPECIAL),
    # ---- E: memory optimised -------------------------------------------------------------------------
    "E_v3": Series("standardEv3Family", _E_V3_MEM, temp=25.0, hyperv="V1", premium=False, acus=160,
                   deploy="IaaS,PaaS", perf="v3np"),
    "Es_v3": Series("standardESv3Family", _E_V3_MEM, temp=(16.0, {64: 864}), cache=25.0, acus=160, perf="v3"),
    "Ei_v3": Series("standardEIv3Family", {64: 432}, temp={64: 1600}, hyperv="V1", premium=False, acus=160,
                    perf="v3np", kind=SPECIAL),
    "Eis_v3": Series("standardEISv3Family", {64: 432}, temp={64: 864}, cache={64: 1600}, acus=160, perf="v3",
                     kind=SPECIAL),
    "E_v4": Series("standardEv4Family", _E_V4_MEM, premium=False, acus=195, modern=True, perf="v5"),
    "Es_v4": Series("standardESv4Family", _E_V4_MEM, acus=195, modern=True, perf="v5"),
    "Ed_v4": Series("standardEDv4Family", _E_V4_MEM, temp=37.5, premium=False, acus=195, modern=True,
                    perf="v5"),
    "Eds_v4": Series("standardEDSv4Family", _E_V4_MEM, temp=37.5, cache=25.0, acus=195, modern=True,
                     perf="v5"),
    "Eis_v4": Series("standardXEISv4Family", {80: 504}, acus=195, modern=True, perf="v5", kind=SPECIAL),
    "Eids_v4": Series("standardXEIDSv4Family", {80: 504}, temp={80: 2400}, cache={80: 2000}, acus=195,
                      modern=True, perf="v5", kind=SPECIAL),
    "Ea_v4": Series("standardEAv4Family", _E_AV4_MEM, temp=25.0, premium=False, acus=230, perf="v3np"),
    "Eas_v4": Series("standardEASv4Family", _E_AV4_MEM, temp=(16.0, {96: 1344}), cache=25.0, acus=230,
                     perf="v3"),
    "Eias_v4": Series("standardEIASv4Family", {96: 672}, temp={96: 1344}, cache={96: 2400}, acus=230,
                      perf="v3", kind=SPECIAL),
    "E_v5": Series("standardEv5Family", _E_V5_MEM, premium=False, modern=True, perf="v5"),
    "Es_v5": Series("standardESv5Family", _E_V5_MEM, modern=True, perf="v5"),
    "Ed_v5": Series("standardEDv5Family", _E_V5_MEM, temp=37.5, premium=False, modern=True, perf="v5"),
    "Eds_v5": Series("standardEDSv5Family", _E_V5_MEM, temp=37.5, cache=25.0, modern=True, perf="v5"),
    "Ei_v5": Series("standardEIv5Family", {104: 672}, premium=False, modern=True, perf="v5", kind=SPECIAL),
    "Eis_v5": Series("standardEISv5Family", {104: 672}, modern=True, perf="v5", kind=SPECIAL),
    "Eid_v5": Series("standardEIDv5Family", {104: 672}, temp={104: 3800}, premium=False, modern=True,
                     perf="v5", kind=SPECIAL),
    "Eids_v5": Series("standardEIDSv5Family", {104: 672}, temp={104: 3800}, cache={104: 2600}, modern=True,
                      perf="v5", kind=SPECIAL),
    "Eas_v5": Series("standardEASv5Family", _E_V5_MEM, modern=True, perf="v5"),
    "Eads_v5": Series("standardEADSv5Family", _E_V5_MEM, temp=37.5, cache=25.0, modern=True, perf="v5",
                      kind=WIDE),
    "Eias_v5": Series("standardEIASv5Family", {112: 672}, modern=True, perf="v5", kind=SPECIAL),
    "Eiads_v5": Series("standardEIADSv5Family", {112: 672}, temp={112: 3800}, cache={112: 2800}, modern=True,
                       perf="v5", kind=SPECIAL),
    "Ebs_v5": Series("standardEBSv5Family", _E_V5_MEM, modern=True, perf="v5", kind=WIDE),
    "Ebds_v5": Series("standardEBDSv5Family", _E_V5_MEM, temp=37.5, cache=25.0, modern=True, perf="v5",
                      kind=WIDE),
    "Eibs_v5": Series("standardEIBSv5Family", {112: 672}, modern=True, perf="v5", kind=SPECIAL),
    "Eibds_v5": Series("standardEIBDSv5Family", {112: 672}, temp={112: 3800}, cache={112: 2800}, modern=True,
                       perf="v5", kind=SPECIAL),
    "Eps_v5": Series("standardEPSv5Family", (8.0, {32: 208}), hyperv="V2", arch="Arm64", per_core=1,
                     nics="arm", tl_disabled=True, modern=True, perf="v5", kind=WIDE),
    "Epds_v5": Series("standardEPDSv5Family", (8.0, {32: 208}), temp=37.5, cache=25.0, hyperv="V2",
                      arch="Arm64", per_core=1, nics="arm", tl_disabled=True, modern=True, perf="v5",
                      kind=WIDE),
    # ---- F: compute optimised ------------------------------------------------------------------------
    "F": Series("standardFFamily", 2.0, temp=16.0, hyperv="V1", premium=False, acus=210, per_core=1,
                disks="v2", nics="v2", deploy="IaaS,PaaS", perf="v2np"),
    "Fs": Series("standardFSFamily", 2.0, temp=4.0, cache=12.0, acus=210, per_core=1, disks="v2", nics="v2",
                 perf="v2"),
    "Fs_v2": Series("standardFSv2Family", 2.0, temp=8.0, cache=16.0, acus=195, nics="fsv2", perf="fsv2"),
    "FXmds": Series("standardFXMDVSFamily", 21.0, temp=42.0, acus=None, kind=SPECIAL, perf="v5",
                    notes=("temp/cache modelled",)),
    # ---- G / GS: legacy large memory ------------------------------------------------------------------
    "G": Series("standardGFamily", _G_MEM, temp={1: 384, 2: 768, 3: 1536, 4: 3072, 5: 6144}, hyperv="V1",
                premium=False, acus=180, per_core=1, vcpus=_G_VCPUS, disks="v2", nics="v2", kind=SPECIAL),
    "GS": Series("standardGSFamily", _G_MEM, temp={1: 56, 2: 112, 3: 224, 4: 448, 5: 896},
                 cache={1: 264, 2: 528, 3: 1056, 4: 2112, 5: 4224}, acus=180, per_core=1, vcpus=_G_VCPUS,
                 disks="v2", nics="v2", tl_disabled=True, perf="v2", kind=SPECIAL),
    # ---- H: HPC -----------------------------------------------------------------------------------------
    "HBrs": Series("standardHBSFamily", {60: 228}, temp={60: 700}, per_core=1, disks={60: 4}, nics={60: 8},
                   mpm=False, tl_disabled=True, rdma=True, kind=SPECIAL),
    "HBrs_v2": Series("standardHBrsv2Family", {120: 456}, temp={120: 480}, per_core=1, disks={120: 8},
                      nics={120: 8}, mpm=False, tl_disabled=True, rdma=True, kind=SPECIAL),
    "HBrs_v3": Series("standardHBv3Family", {120: 448}, temp={120: 480}, per_core=1, disks={120: 32},
                      nics={120: 8}, mpm=False, rdma=True, nvme_mib={120: 1831420}, kind=SPECIAL),
    "HBrs_v4": Series("standardHBv4Family", {176: 768}, temp={176: 480}, hyperv="V2", per_core=1,
                      disks={176: 32}, nics={176: 8}, mpm=False, rdma=True, nvme_mib={176: 3662840},
                      kind=SPECIAL),
    "HCrs": Series("standardHCSFamily", {44: 352}, temp={44: 700}, per_core=1, disks={44: 4}, nics={44: 4},
                   mpm=False, tl_disabled=True, rdma=True, kind=SPECIAL),
    "HXrs": Series("standardHXFamily", {176: 1408}, temp={176: 480}, hyperv="V2", per_core=1, disks={176: 32},
                   nics={176: 8}, mpm=False, rdma=True, nvme_mib={176: 3662840}, kind=SPECIAL),
    # ---- L: storage optimised ----------------------------------------------------------------------------
    "Ls": Series("standardLSFamily", 8.0, temp={4: 678, 8: 1388, 16: 2807, 32: 5630}, acus=180, per_core=1,
                 disks={4: 16, 8: 32, 16: 64, 32: 64}, nics={4: 2, 8: 4, 16: 8, 32: 8}, mpm=False, kind=SPECIAL),
    "Ls_v2": Series("standardLSv2Family", 8.0, temp=10.0, acus=150, mpm=False, tl_disabled=True,
                    nvme_mib=_NVME_PER_VCPU_MIB, kind=WIDE),
    "Ls_v3": Series("standardLSv3Family", 8.0, temp=10.0, mpm=False, nvme_mib=_NVME_PER_VCPU_MIB, modern=True,
                    perf="v5", kind=WIDE),
    "Las_v3": Series("standardLASv3Family", 8.0, temp=10.0, mpm=False, nvme_mib=_NVME_PER_VCPU_MIB,
                     modern=True, perf="v5", kind=WIDE),
    # ---- M: memory optimised, very large -----------------------------------------------------------------
    "M": Series("standardMSFamily", {64: 1024, 128: 2048}, temp={64: 7168, 128: 14336}, cache=_M_CACHE,
                acus=160, disks="m", nics="m", mpm=False, tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m",
                kind=WIDE),
    "Mm": Series("standardMSFamily", {64: 1792, 128: 3892}, temp={64: 7168, 128: 14336}, cache=_M_CACHE,
                 acus=160, disks="m", nics="m", mpm=False, tl_disabled=True, write_accel=_M_WRITE_ACCEL,
                 perf="m", kind=WIDE),
    "Ms": Series("standardMSFamily", {64: 1024, 128: 2048}, temp={64: 2000, 128: 4000}, cache=_M_CACHE,
                 acus=160, disks="m", nics="m", mpm=False, tl_disabled=True, write_accel=_M_WRITE_ACCEL,
                 perf="m", kind=WIDE),
    "Mms": Series("standardMSFamily", {8: 218.75, 16: 437.5, 32: 875, 64: 1750, 128: 3892},
                  temp={8: 250, 16: 500, 32: 1000, 64: 2000, 128: 4000}, cache=_M_CACHE, acus=160, disks="m",
                  nics="m", mpm=False, tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m", kind=WIDE),
    "Mls": Series("standardMSFamily", {32: 256, 64: 512}, temp={32: 1000, 64: 2000}, cache=_M_CACHE, acus=160,
                  disks="m", nics="m", mpm=False, tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m",
                  kind=WIDE),
    "Mts": Series("standardMSFamily", {32: 192}, temp={32: 1000}, cache=_M_CACHE, acus=160, disks="m",
                  nics="m", mpm=False, tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m", kind=WIDE),
    # Msv2 / Mdsv2 "medium memory" (32-128 vCPU) and Mv2 (208/416 vCPU, key suffix "@mv2").
    "Ms_v2": Series("standardMSMediumMemoryv2Family", {64: 1024, 128: 2048}, disks="m", nics="m", mpm=False,
                    tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m", kind=WIDE),
    "Mms_v2": Series("standardMSMediumMemoryv2Family", {32: 875, 64: 1792, 128: 3892}, disks="m", nics="m",
                     mpm=False, tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m", kind=WIDE),
    "Mds_v2": Series("standardMDSMediumMemoryv2Family", {64: 1024, 128: 2048}, temp={64: 2048, 128: 4096},
                     disks="m", nics="m", mpm=False, tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m",
                     kind=WIDE),
    "Mdms_v2": Series("standardMDSMediumMemoryv2Family", {32: 875, 64: 1792, 128: 3892},
                      temp={32: 1024, 64: 2048, 128: 4096}, disks="m", nics="m", mpm=False, tl_disabled=True,
                      write_accel=_M_WRITE_ACCEL, perf="m", kind=WIDE),
    "Mis_v2": Series("standardMISMediumMemoryv2Family", {192: 2048}, disks="m", nics="m", mpm=False,
                     tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m", kind=SPECIAL),
    "Mims_v2": Series("standardMISMediumMemoryv2Family", {192: 4096}, disks="m", nics="m", mpm=False,
                      tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m", kind=SPECIAL),
    "Mids_v2": Series("standardMIDSMediumMemoryv2Family", {192: 2048}, temp={192: 4096}, disks="m", nics="m",
                      mpm=False, tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m", kind=SPECIAL),
    "Midms_v2": Series("standardMIDSMediumMemoryv2Family", {192: 4096}, temp={192: 4096}, disks="m", nics="m",
                       mpm=False, tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m", kind=SPECIAL),
    "Ms_v2@mv2": Series("standardMSv2Family", {208: 2850, 416: 5700}, temp={208: 4096, 416: 8192},
                        cache={208: 7040, 416: 14080}, hyperv="V2", disks="m", nics="m", mpm=False,
                        tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m", kind=SPECIAL),
    "Mms_v2@mv2": Series("standardMSv2Family", {208: 5700, 416: 11400}, temp={208: 4096, 416: 8192},
                         cache={208: 7040, 416: 14080}, hyperv="V2", disks="m", nics="m", mpm=False,
                         tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m", kind=SPECIAL),
    "Ms_8_v2@mv2": Series("standardMSv2Family", {416: 7600}, temp={416: 8192}, cache={416: 14080}, hyperv="V2",
                          disks="m", nics="m", mpm=False, tl_disabled=True, write_accel=_M_WRITE_ACCEL, perf="m",
                          kind=SPECIAL),
    # ---- N: GPU / FPGA ------------------------------------------------------------------------------------
    "NC": Series("standardNCFamily", {6: 56, 12: 112, 24: 224}, temp={6: 340, 12: 680, 24: 1440}, hyperv="V1",
                 premium=False, per_core=1, disks={6: 24, 12: 48, 24: 64}, nics={6: 2, 12: 4, 24: 8}, an=False,
                 mpm=False, eah=False, gpus={6: 1, 12: 2, 24: 4}, retire="09/06/2023", kind=LEGACY),
    "NCr": Series("standardNCFamily", {24: 224}, temp={24: 1440}, hyperv="V1", premium=False, per_core=1,
                  disks={24: 64}, nics={24: 8}, an=False, mpm=False, eah=False, gpus={24: 4}, rdma=True,
                  retire="09/06/2023", kind=LEGACY),
    "NC_Promo": Series("standardNCPromoFamily", {6: 56, 12: 112, 24: 224}, temp={6: 340, 12: 680, 24: 1440},
                       hyperv="V1", premium=False, per_core=1, disks={6: 24, 12: 48, 24: 64},
                       nics={6: 2, 12: 4, 24: 8}, an=False, mpm=False, eah=False, gpus={6: 1, 12: 2, 24: 4},
                       low_priority=False, retire="09/06/2023", kind=PROMO),
    "NCr_Promo": Series("standardNCPromoFamily", {24: 224}, temp={24: 1440}, hyperv="V1", premium=False,
                        per_core=1, disks={24: 64}, nics={24: 8}, an=False, mpm=False, eah=False, gpus={24: 4},
                        rdma=True, low_priority=False, retire="09/06/2023", kind=PROMO),
    "NCs_v2": Series("standardNCSv2Family", {6: 112, 12: 224, 24: 448}, temp={6: 736, 12: 1474, 24: 2948},
                     per_core=1, disks={6: 12, 12: 24, 24: 32}, nics={6: 4, 12: 8, 24: 8}, mpm=False,
                     tl_disabled=True, gpus={6: 1, 12: 2, 24: 4}, retire="09/06/2023", kind=LEGACY),
    "NCrs_v2": Series("standardNCSv2Family", {24: 448}, temp={24: 2948}, per_core=1, disks={24: 32},
                      nics={24: 8}, mpm=False, tl_disabled=True, gpus={24: 4}, rdma=True, retire="09/06/2023",
                      kind=LEGACY),
    "NCs_v3": Series("standardNCSv3Family", {6: 112, 12: 224, 24: 448}, temp={6: 336, 12: 672, 24: 1344},
                     per_core=1, disks={6: 12, 12: 24, 24: 32}, nics={6: 4, 12: 8, 24: 8}, mpm=False,
                     gpus={6: 1, 12: 2, 24: 4}, kind=WIDE),
    "NCrs_v3": Series("standardNCSv3Family", {24: 448}, temp={24: 1344}, per_core=1, disks={24: 32},
                      nics={24: 8}, mpm=False, gpus={24: 4}, rdma=True, kind=SPECIAL),
    "NCas_T4_v3": Series("Standard NCASv3_T4 Family", {4: 28, 8: 56, 16: 110, 64: 440},
                         temp={4: 176, 8: 352, 16: 352, 64: 2816},
                         cache_bytes={4: 154619000000, 8: 154619000000, 16: 154619000000, 64: 618476000000},
                         per_core=1, disks={4: 8, 8: 16, 16: 32, 64: 32}, nics={4: 2, 8: 4, 16: 8, 64: 8},
                         mpm=False, gpus={4: 1, 8: 1, 16: 1, 64: 4}, perf="v3", kind=WIDE),
    "NCads_A100_v4": Series("StandardNCADSA100v4Family", {24: 220, 48: 440, 96: 880},
                            temp={24: 64, 48: 128, 96: 256}, cache={24: 256, 48: 512, 96: 1024}, hyperv="V2",
                            per_core=1, disks={24: 8, 48: 16, 96: 32}, nics={24: 2, 48: 4, 96: 8}, mpm=False,
                            gpus={24: 1, 48: 2, 96: 4}, nvme_mib={24: 915456, 48: 1830912, 96: 3661824},
                            perf="v5", kind=SPECIAL),
    "NCads_A10_v4": Series("StandardNCADSA10v4Family", {8: 55, 16: 110, 32: 220}, temp={8: 356, 16: 356, 32: 712},
                           hyperv="V2", per_core=1, disks={8: 12, 16: 24, 32: 32}, nics={8: 2, 16: 4, 32: 8},
                           mpm=False, gpus={8: 1, 16: 1, 32: 1}, kind=SPECIAL, notes=("modelled family",)),
    "NDs": Series("standardNDSFamily", {6: 112, 12: 224, 24: 448}, temp={6: 736, 12: 1474, 24: 2948},
                  per_core=1, disks={6: 12, 12: 24, 24: 32}, nics={6: 4, 12: 8, 24: 8}, mpm=False,
                  tl_disabled=True, gpus={6: 1, 12: 2, 24: 4}, retire="09/06/2023", kind=LEGACY),
    "NDrs": Series("standardNDSFamily", {24: 448}, temp={24: 2948}, per_core=1, disks={24: 32}, nics={24: 8},
                   mpm=False, tl_disabled=True, gpus={24: 4}, rdma=True, retire="09/06/2023", kind=LEGACY),
    "NDrs_v2": Series("standardNDSv2Family", {40: 672}, temp={40: 2948}, per_core=2, disks={40: 32},
                      nics={40: 8}, mpm=False, tl_disabled=True, gpus={40: 8}, rdma=True, kind=SPECIAL),
    "NDs_v3": Series("standardNDSv3Family", {40: 672}, temp={40: 2948}, per_core=2, disks={40: 32},
                     nics={40: 8}, mpm=False, tl_disabled=True, gpus={40: 8}, kind=SPECIAL,
                     notes=("modelled family",)),
    "NDasr_v4": Series("Standard NDASv4_A100 Family", {96: 900}, temp={96: 6000}, hyperv="V2", per_core=1,
                       disks={96: 16}, nics={96: 8}, mpm=False, gpus={96: 8}, rdma=True, kind=SPECIAL),
    "NDamsr_A100_v4": Series("StandardNDAMSv4_A100Family", {96: 1900}, temp={96: 6400}, hyperv="V2",
                             per_core=1, disks={96: 16}, nics={96: 8}, mpm=False, gpus={96: 8}, rdma=True,
                             kind=SPECIAL, notes=("modelled family",)),
    "NPs": Series("standardNPSFamily", {10: 168, 20: 336, 40: 672}, temp={10: 736, 20: 1474, 40: 2948},
                  per_core=1, disks={10: 8, 20: 16, 40: 32}, nics={10: 4, 20: 8, 40: 8}, mpm=False,
                  tl_disabled=True, kind=SPECIAL),
    "NV": Series("standardNVFamily", {6: 56, 12: 112, 24: 224}, temp={6: 380, 12: 680, 24: 1440}, hyperv="V1",
                 premium=False, per_core=1, disks={6: 24, 12: 48, 24: 64}, nics={6: 2, 12: 4, 24: 8}, an=False,
                 mpm=False, eah=False, gpus={6: 1, 12: 2, 24: 4}, retire="08/31/2023", kind=LEGACY),
    "NV_Promo": Series("standardNVPromoFamily", {6: 56, 12: 112, 24: 224}, temp={6: 380, 12: 680, 24: 1440},
                       hyperv="V1", premium=False, per_core=1, disks={6: 24, 12: 48, 24: 64},
                       nics={6: 2, 12: 4, 24: 8}, an=False, mpm=False, eah=False, gpus={6: 1, 12: 2, 24: 4},
                       low_priority=False, retire="08/31/2023", kind=PROMO),
    "NVs_v2": Series("standardNVSv2Family", {6: 112, 12: 224, 24: 448}, temp={6: 320, 12: 640, 24: 1280},
                     per_core=1, disks={6: 12, 12: 24, 24: 32}, nics={6: 4, 12: 8, 24: 8}, mpm=False,
                     tl_disabled=True, gpus={6: 1, 12: 2, 24: 4}, retire="08/31/2023", kind=LEGACY),
    "NVs_v3": Series("standardNVSv3Family", {12: 112, 24: 224, 48: 448}, temp={12: 320, 24: 640, 48: 1280},
                     per_core=2, disks={12: 12, 24: 24, 48: 32}, nics={12: 4, 24: 8, 48: 8}, mpm=False,
                     gpus={12: 1, 24: 2, 48: 4}, kind=SPECIAL),
    "NVas_v4": Series("standardNVSv4Family", {4: 14, 8: 28, 16: 56, 32: 112}, temp={4: 88, 8: 176, 16: 352, 32: 704},
                      per_core=2, disks={4: 4, 8: 8, 16: 16, 32: 32}, nics={4: 2, 8: 4, 16: 8, 32: 8}, mpm=False,
                      tl_disabled=True, gpus={4: 1, 8: 1, 16: 1, 32: 1}, kind=SPECIAL),
    "NVads_A10_v5": Series("StandardNVADSA10v5Family", {6: 55, 12: 110, 18: 220, 36: 440, 72: 880},
                           temp={6: 180, 12: 360, 18: 720, 36: 720, 72: 1400}, per_core=2,
                           disks={6: 4, 12: 8, 18: 16, 36: 32, 72: 32}, nics={6: 2, 12: 4, 18: 4, 36: 4, 72: 8},
                           mpm=False, gpus={6: 1, 12: 1, 18: 1, 36: 1, 72: 2}, kind=WIDE),
    "NVadms_A10_v5": Series("StandardNVADSA10v5Family", {36: 880}, temp={36: 720}, per_core=2, disks={36: 32},
                            nics={36: 4}, mpm=False, gpus={36: 1}, kind=SPECIAL),
    "PBs": Series("standardPBSFamily", {6: 112}, temp={6: 736}, hyperv="V1", per_core=1, disks={6: 12},
                  nics={6: 4}, mpm=False, tl_disabled=True, kind=SPECIAL, notes=("modelled",)),
}


# --- MaxDataDiskCount / MaxNetworkInterfaces profiles (keyed by vCPU count) --------------------------

def _step(table: tuple[tuple[int, int], ...], v: int) -> int:
    out = table[0][1]
    for threshold, value in table:
        if v >= threshold:
            out = value
    return out


_DISK_PROFILES: dict[str, tuple[tuple[int, int], ...]] = {
    "modern": ((1, 2), (2, 4), (4, 8), (8, 16), (16, 32)),
    "v2": ((1, 4), (2, 8), (4, 16), (8, 32), (16, 64)),
    "m": ((8, 8), (16, 16), (32, 32), (64, 64)),
}
_NIC_PROFILES: dict[str, tuple[tuple[int, int], ...]] = {
    "modern": ((1, 2), (2, 2), (4, 2), (8, 4), (16, 8)),
    "fsv2": ((1, 2), (2, 2), (4, 2), (8, 4), (16, 4), (32, 8)),
    "arm": ((1, 2), (2, 2), (4, 2), (8, 4), (16, 4), (32, 8)),
    "bv2": ((1, 2), (2, 2), (4, 3), (8, 3), (16, 4)),
    "v2": ((1, 2), (2, 2), (4, 4), (8, 8)),
    "m": ((8, 2), (16, 4), (32, 8)),
}


def max_data_disks(series: Series, n: int, vcpus: int) -> int:
    if isinstance(series.disks, str):
        return _step(_DISK_PROFILES[series.disks], vcpus)
    return series.disks[n]


def max_nics(series: Series, n: int, vcpus: int) -> int:
    if isinstance(series.nics, str):
        return _step(_NIC_PROFILES[series.nics], vcpus)
    return series.nics[n]
