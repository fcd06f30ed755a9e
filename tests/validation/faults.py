"""A small synthetic repository: a clean instansi, and a second one with a fault for every rule.

Every element of the clean instansi satisfies every shape in shapes/ (a test checks that it
produces no result). `FAULTS` lists, per rule (shape local name), the elements built to break
that rule; the faulty instansi contains all of them. Data follow the project's conventions
(IRIs from `spbe_arch.iris`, plain string literals, enumerations as IRIs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.namespace import RDF, XSD
from rdflib.term import Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.vocab import SPBE

VERSION = "Perpres 132/2022"


def ref(code: str) -> URIRef:
    return iris.reference_concept_iri(VERSION, code)


@dataclass
class Builder:
    kode: str
    graph: Graph = field(default_factory=Graph)
    faults: dict[str, list[URIRef]] = field(default_factory=dict)

    @property
    def instansi(self) -> URIRef:
        return iris.instansi_iri(self.kode)

    @property
    def periode(self) -> URIRef:
        return iris.element_iri(self.kode, "periode", "2025-2029")

    def iri(self, kind: str, code: str) -> URIRef:
        return iris.element_iri(self.kode, kind, code)

    def add(self, s: Node, p: Node, *objects: Node) -> None:
        for o in objects:
            self.graph.add((s, p, o))

    def drop(self, s: Node, p: Node) -> None:
        self.graph.remove((s, p, None))

    def set(self, s: Node, p: Node, *objects: Node) -> None:
        self.drop(s, p)
        self.add(s, p, *objects)

    # --- clean building blocks -----------------------------------------------------------
    def base(self, *, with_periode: bool = True) -> None:
        i = self.instansi
        self.add(i, RDF.type, SPBE.Instansi, SPBE.PemerintahDaerah)
        self.add(i, SPBE.kodeWilayah, Literal(self.kode[-4:]))
        self.add(i, SPBE.nama, Literal(f"Pemerintah Uji {self.kode}"))
        if with_periode:
            p = self.periode
            self.add(i, SPBE.periode, p)
            self.add(p, RDF.type, SPBE.PeriodeArsitektur)
            self.add(p, SPBE.nama, Literal("Periode 2025-2029"))
            self.add(p, SPBE.tahunMulai, Literal("2025", datatype=XSD.gYear))
            self.add(p, SPBE.tahunSelesai, Literal("2029", datatype=XSD.gYear))
            self.add(p, SPBE.statusDokumen, SPBE.Draft)
            self.add(p, SPBE.versiReferensi, iris.reference_version_iri(VERSION))

    def element(self, kind: str, cls: URIRef, code: str, nama: str) -> URIRef:
        e = self.iri(kind, code)
        self.add(e, RDF.type, cls)
        self.add(e, SPBE.kode, Literal(code))
        self.add(e, SPBE.nama, Literal(nama))
        self.add(e, SPBE.instansi, self.instansi)
        return e

    def opd(self, code: str) -> URIRef:
        o = self.element("opd", SPBE.PerangkatDaerah, code, f"Dinas {code}")
        self.add(o, SPBE.jenisOPD, SPBE.Dinas)
        return o

    def proses(self, code: str, opd: URIRef, rab: str = "RAB.09.03.02",
               parent: URIRef | None = None, level: int = 0) -> URIRef:
        p = self.element("proses-bisnis", SPBE.ProsesBisnis, code, f"Proses {code}")
        self.add(p, SPBE.pemilik, opd)
        self.add(p, SPBE.klasifikasiRAB, ref(rab))
        self.add(p, SPBE.levelPetaProses, Literal(level))
        self.add(p, SPBE.jenisProses, SPBE.ProsesUtama)
        self.add(p, SPBE.statusProses, SPBE.AsIs)
        if parent is not None:
            self.add(p, SPBE.subProsesDari, parent)
        return p

    def layanan(self, code: str, opd: URIRef, proses: URIRef | None,
                ral: str = "RAL.01.43.03") -> URIRef:
        lyn = self.element("layanan", SPBE.Layanan, code, f"Layanan {code}")
        self.add(lyn, SPBE.unitPelaksana, opd)
        self.add(lyn, SPBE.metodeLayanan, SPBE.Elektronik)
        self.add(lyn, SPBE.targetLayanan, SPBE.Masyarakat)
        self.add(lyn, SPBE.jenisLayanan, SPBE.LayananPublik)
        self.add(lyn, SPBE.tujuan, Literal("Memberikan informasi publik kepada warga"))
        self.add(lyn, SPBE.klasifikasiRAL, ref(ral))
        if proses is not None:
            self.add(proses, SPBE.merealisasikan, lyn)
        return lyn

    def data(self, code: str, opd: URIRef, proses: URIRef | None,
             rad: str = "RAD.09.03.04") -> URIRef:
        d = self.element("data", SPBE.DataInformasi, code, f"Data {code}")
        self.add(d, SPBE.waliData, opd)
        self.add(d, SPBE.sifatData, SPBE.Terbuka)
        self.add(d, SPBE.jenisData, SPBE.DataStatistik)
        self.add(d, SPBE.validitasData, Literal("Tahunan"))
        self.add(d, SPBE.klasifikasiRAD, ref(rad))
        if proses is not None:
            self.add(proses, SPBE.menghasilkanData, d)
        return d

    def aplikasi(self, code: str, opd: URIRef, layanan: URIRef | None) -> URIRef:
        a = self.element("aplikasi", SPBE.Aplikasi, code, f"Aplikasi {code}")
        self.add(a, SPBE.pemilik, opd)
        self.add(a, SPBE.jenisAplikasi, SPBE.AplikasiKhusus)
        self.add(a, SPBE.klasifikasiRAA, ref("RAA.02.02"))
        if layanan is not None:
            self.add(a, SPBE.mendukungLayanan, layanan)
        return a

    def infrastruktur(self, code: str, opd: URIRef) -> URIRef:
        x = self.element("infrastruktur", SPBE.Infrastruktur, code, f"Infrastruktur {code}")
        self.add(x, SPBE.pemilik, opd)
        self.add(x, SPBE.jenisInfrastruktur, SPBE.Jaringan)
        self.add(x, SPBE.klasifikasiRAI, ref("RAI.02.01"))
        return x

    def keamanan(self, code: str, opd: URIRef) -> URIRef:
        k = self.element("keamanan", SPBE.Keamanan, code, f"Keamanan {code}")
        self.add(k, SPBE.pemilik, opd)
        self.add(k, SPBE.jenisKeamanan, SPBE.AuditKeamanan)
        self.add(k, SPBE.klasifikasiRAK, ref("RAK.02.01"))
        return k

    def sop(self, code: str, opd: URIRef, proses: URIRef) -> tuple[URIRef, list[URIRef],
                                                                    list[URIRef]]:
        """An SOP with two actors and five steps: start, activity, decision, activity, end."""
        s = self.element("sop", SPBE.SOP, code, f"SOP {code}")
        self.add(s, SPBE.pemilik, opd)
        self.add(s, SPBE.untukProsesBisnis, proses)
        self.add(s, SPBE.statusSOP, SPBE.Ditetapkan)
        self.add(s, SPBE.nomorSOP, Literal(f"800/{code}/2025"))
        self.add(s, SPBE.tanggalEfektif, Literal("2025-01-02", datatype=XSD.date))
        self.add(s, SPBE.disahkanOlehJabatan, Literal("Kepala Dinas"))
        self.add(s, SPBE.disahkanOlehNama, Literal("Nama Uji"))
        self.add(s, SPBE.disahkanOlehNIP, Literal("197001012000031001"))
        actors = []
        for n, name in enumerate(("Pemohon", "Petugas"), start=1):
            a = iris.sop_pelaksana_iri(s, name)
            self.add(a, RDF.type, SPBE.PelaksanaSOP)
            self.add(a, SPBE.nama, Literal(name))
            self.add(a, SPBE.urutan, Literal(n))
            self.add(s, SPBE.memilikiPelaksana, a)
            actors.append(a)
        symbols = [SPBE.Terminator, SPBE.Kegiatan, SPBE.Keputusan, SPBE.Kegiatan,
                   SPBE.Terminator]
        steps = [iris.sop_step_iri(s, n) for n in range(1, 6)]
        for n, (step, symbol) in enumerate(zip(steps, symbols, strict=True), start=1):
            self.add(step, RDF.type, SPBE.LangkahSOP)
            self.add(step, SPBE.urutan, Literal(n))
            self.add(step, SPBE.nama, Literal(f"Langkah {n}"))
            self.add(step, SPBE.jenisSimbol, symbol)
            self.add(step, SPBE.dilaksanakanOleh, actors[n % 2])
            self.add(s, SPBE.memilikiLangkah, step)
            if symbol != SPBE.Terminator:
                self.add(step, SPBE.kelengkapan, Literal("Berkas"))
                self.add(step, SPBE.waktu, Literal("10 menit"))
                self.add(step, SPBE.output, Literal("Hasil"))
        self.add(steps[0], SPBE.langkahBerikutnya, steps[1])
        self.add(steps[1], SPBE.langkahBerikutnya, steps[2])
        self.add(steps[2], SPBE.jikaYa, steps[3])
        self.add(steps[2], SPBE.jikaTidak, steps[1])
        self.add(steps[3], SPBE.langkahBerikutnya, steps[4])
        return s, actors, steps

    def unit(self, code: str) -> dict[str, URIRef]:
        """A complete, clean slice of the architecture owned by one new OPD."""
        o = self.opd(code)
        p = self.proses(f"{code}-01", o)
        lyn = self.layanan(f"{code}-L1", o, p)
        d = self.data(f"{code}-D1", o, p)
        a = self.aplikasi(f"{code}-A1", o, lyn)
        x = self.infrastruktur(f"{code}-I1", o)
        k = self.keamanan(f"{code}-K1", o)
        s, actors, steps = self.sop(f"{code}-01.SOP.01", o, p)
        return {"opd": o, "proses": p, "layanan": lyn, "data": d, "aplikasi": a,
                "infrastruktur": x, "keamanan": k, "sop": s, "pelaksana": actors[0],
                **{f"langkah{i}": st for i, st in enumerate(steps, start=1)}}


def clean(kode: str = "9901") -> Builder:
    b = Builder(kode)
    b.base()
    units = [b.unit(code) for code in ("DINA", "DINB")]
    # a level-1 sub-process with its own SOP; its parent is then detailed through it
    child = b.proses("DINA-01.01", units[0]["opd"], parent=units[0]["proses"], level=1)
    b.sop("DINA-01.01.SOP.01", units[0]["opd"], child)
    return b


Fault = Callable[[Builder], Iterable[URIRef]]
FAULTS: dict[str, Fault] = {}


def fault(*rules: str) -> Callable[[Fault], Fault]:
    def register(fn: Fault) -> Fault:
        for rule in rules:
            FAULTS.setdefault(rule, fn)
        fn.rules = rules  # type: ignore[attr-defined]
        return fn
    return register


def all_faults(kode: str = "9902") -> Builder:
    """An instansi with every fault (each on its own, otherwise clean, elements)."""
    b = Builder(kode)
    b.base()
    b.unit("BASE")
    done: set[int] = set()
    for rule, fn in FAULTS.items():
        if id(fn) in done:
            continue
        done.add(id(fn))
        b.faults[rule] = list(fn(b))
    # an instansi without period, name, and without a keamanan/infrastruktur domain
    other = Builder("9903")
    other.base(with_periode=False)
    other.drop(other.instansi, SPBE.nama)
    o = other.opd("SOLO")
    other.proses("SOLO-01", o)
    b.graph += other.graph
    return b


# --- faults, per rule --------------------------------------------------------------------------
# struktur.ttl

@fault("Elemen-kode", "ElemenShape")
def _kode(b: Builder) -> list[URIRef]:
    u = b.unit("KODE")
    b.drop(u["aplikasi"], SPBE.kode)
    b.add(u["keamanan"], SPBE.kode, Literal("KODE-K2"))
    b.set(u["infrastruktur"], SPBE.kode, Literal("7", datatype=XSD.integer))
    return [u["aplikasi"], u["keamanan"], u["infrastruktur"]]


@fault("Elemen-kode-pola", "ElemenKodePolaShape")
def _kode_pola(b: Builder) -> list[URIRef]:
    u = b.unit("POLA")
    b.set(u["data"], SPBE.kode, Literal("POLA D1"))
    return [u["data"]]


@fault("Elemen-nama")
def _nama(b: Builder) -> list[URIRef]:
    u = b.unit("NAMA")
    b.drop(u["layanan"], SPBE.nama)
    b.set(u["data"], SPBE.nama, Literal("AB"))
    b.set(u["aplikasi"], SPBE.nama, Literal("Aplikasi bertag bahasa", lang="id"))
    return [u["layanan"], u["data"], u["aplikasi"]]


@fault("Elemen-instansi")
def _instansi(b: Builder) -> list[URIRef]:
    u = b.unit("INST")
    b.set(u["keamanan"], SPBE.instansi, u["opd"])
    return [u["keamanan"]]


@fault("Elemen-uraian")
def _uraian(b: Builder) -> list[URIRef]:
    u = b.unit("URAI")
    b.add(u["proses"], SPBE.uraian, Literal("Satu"), Literal("Dua"))
    return [u["proses"]]


@fault("Elemen-pemilik", "PemilikShape")
def _pemilik(b: Builder) -> list[URIRef]:
    u = b.unit("PMLK")
    b.drop(u["aplikasi"], SPBE.pemilik)
    b.set(u["infrastruktur"], SPBE.pemilik, u["layanan"])
    return [u["aplikasi"], u["infrastruktur"]]


@fault("Instansi-kodeWilayah", "InstansiShape")
def _kode_wilayah(b: Builder) -> list[URIRef]:
    b.set(b.instansi, SPBE.kodeWilayah, Literal("99a2"))
    return [b.instansi]


@fault("Periode-tahunMulai", "PeriodeShape", "Periode-versiReferensi")
def _periode(b: Builder) -> list[URIRef]:
    p = b.iri("periode", "2030-2034")
    b.add(p, RDF.type, SPBE.PeriodeArsitektur)
    b.add(p, SPBE.tahunMulai, Literal("2030"))
    b.add(p, SPBE.tahunSelesai, Literal("2034", datatype=XSD.gYear))
    b.add(p, SPBE.statusDokumen, SPBE.AsIs)
    b.add(p, SPBE.nomorRegulasi, Literal("1"), Literal("2"))
    b.add(p, SPBE.tanggalRegulasi, Literal("2030-02-30", datatype=XSD.date))
    return [p]


@fault("Periode-status", "Periode-nomorRegulasi", "Periode-tanggalRegulasi",
       "Periode-tahunSelesai")
def _periode2(b: Builder) -> list[URIRef]:
    p = b.iri("periode", "2035-2039")
    b.add(p, RDF.type, SPBE.PeriodeArsitektur)
    b.add(p, SPBE.tahunMulai, Literal("2035", datatype=XSD.gYear))
    b.add(p, SPBE.statusDokumen, SPBE.AsIs)
    b.add(p, SPBE.versiReferensi, iris.reference_version_iri(VERSION))
    b.add(p, SPBE.nomorRegulasi, Literal("1"), Literal("2"))
    b.add(p, SPBE.tanggalRegulasi, Literal("2035-02-30", datatype=XSD.date))
    return [p]


@fault("OPD-jenis", "OPD-singkatan", "OPD-induk", "PerangkatDaerahShape")
def _opd(b: Builder) -> list[URIRef]:
    u = b.unit("OPDX")
    b.set(u["opd"], SPBE.jenisOPD, SPBE.Terbuka)
    b.add(u["opd"], SPBE.singkatan, Literal("A"), Literal("B"))
    b.add(u["opd"], SPBE.indukOPD, u["layanan"])
    return [u["opd"]]


@fault("ProsesBisnis-jenis", "ProsesBisnis-status", "ProsesBisnis-level",
       "ProsesBisnis-subProsesDari", "ProsesBisnis-merealisasikan",
       "ProsesBisnis-menghasilkanData", "ProsesBisnis-periode", "ProsesBisnisShape")
def _proses(b: Builder) -> list[URIRef]:
    u = b.unit("PROS")
    p = u["proses"]
    b.set(p, SPBE.jenisProses, SPBE.AsIs)
    b.set(p, SPBE.statusProses, SPBE.ProsesUtama)
    b.set(p, SPBE.levelPetaProses, Literal(-1))
    b.add(p, SPBE.subProsesDari, u["layanan"])
    b.add(p, SPBE.merealisasikan, u["data"])
    b.add(p, SPBE.menghasilkanData, u["layanan"])
    b.add(p, SPBE.periode, b.instansi)
    p2 = b.proses("PROS-02", u["opd"])
    b.set(p2, SPBE.levelPetaProses, Literal("1.5", datatype=XSD.decimal))
    return [p, p2]


@fault("Layanan-unitPelaksana", "Layanan-metode", "Layanan-target", "Layanan-jenis",
       "Layanan-tujuan", "Layanan-menggunakanData", "Layanan-periode", "LayananShape")
def _layanan(b: Builder) -> list[URIRef]:
    u = b.unit("LYNX")
    lyn = u["layanan"]
    b.drop(lyn, SPBE.unitPelaksana)
    b.set(lyn, SPBE.metodeLayanan, SPBE.ASN)
    b.drop(lyn, SPBE.targetLayanan)
    b.set(lyn, SPBE.jenisLayanan, SPBE.Elektronik)
    b.add(lyn, SPBE.tujuan, Literal("Tujuan kedua yang cukup panjang"))
    b.add(lyn, SPBE.menggunakanData, u["proses"])
    b.add(lyn, SPBE.periode, b.instansi)
    return [lyn]


@fault("Layanan-tujuan-terisi", "LayananTujuanShape")
def _tujuan(b: Builder) -> list[URIRef]:
    u = b.unit("TJN")
    b.set(u["layanan"], SPBE.tujuan, Literal("Singkat"))
    lyn2 = b.layanan("TJN-L2", u["opd"], u["proses"])
    b.drop(lyn2, SPBE.tujuan)
    return [u["layanan"], lyn2]


@fault("Data-waliData", "Data-sifat", "Data-jenis", "Data-validitas", "Data-periode",
       "DataInformasiShape")
def _data(b: Builder) -> list[URIRef]:
    u = b.unit("DATX")
    d = u["data"]
    b.drop(d, SPBE.waliData)
    b.set(d, SPBE.sifatData, SPBE.DataStatistik)
    b.drop(d, SPBE.jenisData)
    b.set(d, SPBE.validitasData, Literal("harian"))
    b.add(d, SPBE.periode, b.instansi)
    d2 = b.data("DATX-D2", u["opd"], u["proses"])
    b.set(d2, SPBE.validitasData, Literal("Bulanan", lang="id"))
    d3 = b.data("DATX-D3", u["opd"], u["proses"])
    b.set(d3, SPBE.validitasData, Literal("Tahunan "))
    return [d, d2, d3]


@fault("Aplikasi-jenis", "Aplikasi-mendukungLayanan", "Aplikasi-menggunakanData",
       "AplikasiShape")
def _aplikasi(b: Builder) -> list[URIRef]:
    u = b.unit("APLX")
    a = u["aplikasi"]
    b.set(a, SPBE.jenisAplikasi, SPBE.Dinas)
    b.add(a, SPBE.mendukungLayanan, u["data"])
    b.add(a, SPBE.menggunakanData, u["aplikasi"])
    return [a]


@fault("Infrastruktur-jenis", "InfrastrukturShape")
def _infra(b: Builder) -> list[URIRef]:
    u = b.unit("INFX")
    b.drop(u["infrastruktur"], SPBE.jenisInfrastruktur)
    return [u["infrastruktur"]]


@fault("Keamanan-jenis", "KeamananShape")
def _keamanan(b: Builder) -> list[URIRef]:
    u = b.unit("KMNX")
    b.add(u["keamanan"], SPBE.jenisKeamanan, SPBE.PenangananInsiden)
    return [u["keamanan"]]


# referensi.ttl

@fault("ProsesBisnis-klasifikasiRAB", "ProsesBisnisRABShape")
def _rab(b: Builder) -> list[URIRef]:
    u = b.unit("RABX")
    b.drop(u["proses"], SPBE.klasifikasiRAB)
    p2 = b.proses("RABX-02", u["opd"], rab="RAB.99.99.99")
    return [u["proses"], p2]


@fault("ProsesBisnisRABLevel3Shape")
def _rab_level(b: Builder) -> list[URIRef]:
    u = b.unit("RABL")
    b.set(u["proses"], SPBE.klasifikasiRAB, ref("RAB.09.03"))
    p2 = b.proses("RABL-02", u["opd"], rab="RAL.01.43.03")
    return [u["proses"], p2]


@fault("Layanan-klasifikasiRAL", "LayananRALShape")
def _ral(b: Builder) -> list[URIRef]:
    u = b.unit("RALX")
    b.drop(u["layanan"], SPBE.klasifikasiRAL)
    return [u["layanan"]]


@fault("LayananRALLevel3Shape")
def _ral_level(b: Builder) -> list[URIRef]:
    u = b.unit("RALL")
    b.set(u["layanan"], SPBE.klasifikasiRAL, ref("RAL.01.43"))
    return [u["layanan"]]


@fault("Data-klasifikasiRAD", "DataRADShape")
def _rad(b: Builder) -> list[URIRef]:
    u = b.unit("RADX")
    b.set(u["data"], SPBE.klasifikasiRAD, ref("RAD.99.99"))
    return [u["data"]]


@fault("DataRADDaunShape")
def _rad_leaf(b: Builder) -> list[URIRef]:
    u = b.unit("RADL")
    b.set(u["data"], SPBE.klasifikasiRAD, ref("RAD.09.03"))
    d2 = b.data("RADL-D2", u["opd"], u["proses"], rad="RAD.09")
    return [u["data"], d2]


@fault("Elemen-klasifikasiRAA", "Elemen-klasifikasiRAI", "Elemen-klasifikasiRAK",
       "Elemen-klasifikasiRAA-dikenal", "Elemen-klasifikasiRAI-dikenal",
       "Elemen-klasifikasiRAK-dikenal", "KlasifikasiTIKShape")
def _tik(b: Builder) -> list[URIRef]:
    # a second code, and an unknown one: breaks "at most one" and "known code" at once
    u = b.unit("TIKX")
    b.add(u["aplikasi"], SPBE.klasifikasiRAA, ref("RAA.99"))
    b.add(u["infrastruktur"], SPBE.klasifikasiRAI, ref("RAI.99"))
    b.add(u["keamanan"], SPBE.klasifikasiRAK, ref("RAK.99"))
    return [u["aplikasi"], u["infrastruktur"], u["keamanan"]]


@fault("KlasifikasiTIKWajibShape")
def _tik_wajib(b: Builder) -> list[URIRef]:
    u = b.unit("TIKW")
    b.drop(u["aplikasi"], SPBE.klasifikasiRAA)
    b.drop(u["infrastruktur"], SPBE.klasifikasiRAI)
    b.drop(u["keamanan"], SPBE.klasifikasiRAK)
    return [u["aplikasi"], u["infrastruktur"], u["keamanan"]]


@fault("KlasifikasiTIKVersiShape")
def _tik_versi(b: Builder) -> list[URIRef]:
    u = b.unit("TIKV")
    b.set(u["aplikasi"], SPBE.klasifikasiRAA, ref("RAI.02.01"))
    b.set(u["keamanan"], SPBE.klasifikasiRAK, ref("RAB.09.03.02"))
    return [u["aplikasi"], u["keamanan"]]


@fault("KlasifikasiLokalShape")
def _lokal(b: Builder) -> list[URIRef]:
    u = b.unit("LOKL")
    good = b.iri("proses-bisnis", "LOKL-KONSEP-4")
    bad = b.iri("proses-bisnis", "LOKL-KONSEP-X")
    for concept, parent, level in ((good, ref("RAB.09.03.02"), 4), (bad, ref("RAB.09.04.01"), 4)):
        b.add(concept, RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#Concept"))
        b.add(concept, URIRef("http://www.w3.org/2004/02/skos/core#broader"), parent)
        b.add(concept, SPBE.level, Literal(level))
    b.add(u["proses"], SPBE.klasifikasiLokal, good, bad)
    return [u["proses"]]


# konsistensi.ttl

@fault("LayananDirealisasikanShape")
def _realisasi(b: Builder) -> list[URIRef]:
    u = b.unit("RLSX")
    lyn2 = b.layanan("RLSX-L2", u["opd"], None)
    return [lyn2]


@fault("Data-dihasilkanOleh", "DataDihasilkanShape")
def _dihasilkan(b: Builder) -> list[URIRef]:
    u = b.unit("HSLX")
    d2 = b.data("HSLX-D2", u["opd"], None)
    d3 = b.data("HSLX-D3", u["opd"], None)
    b.add(u["layanan"], SPBE.menghasilkanData, d3)
    return [d2, d3]


@fault("Aplikasi-mendukungSedikitnyaSatu", "AplikasiMendukungLayananShape")
def _mendukung(b: Builder) -> list[URIRef]:
    u = b.unit("DKNG")
    b.drop(u["aplikasi"], SPBE.mendukungLayanan)
    return [u["aplikasi"]]


@fault("KodeUnikShape")
def _kode_unik(b: Builder) -> list[URIRef]:
    u = b.unit("UNIK")
    twin = b.iri("proses-bisnis", "UNIK-01-KEMBAR")
    for p, o in list(b.graph.predicate_objects(u["proses"])):
        b.add(twin, p, o)
    return [b.instansi]


@fault("OPDSeinstansiShape")
def _seinstansi(b: Builder) -> list[URIRef]:
    u = b.unit("SEIN")
    b.set(u["proses"], SPBE.pemilik, iris.element_iri("9901", "opd", "DINA"))
    return [u["proses"]]


@fault("SubProsesTanpaSiklusShape")
def _siklus(b: Builder) -> list[URIRef]:
    u = b.unit("SKLS")
    p2 = b.proses("SKLS-02", u["opd"], parent=u["proses"], level=1)
    b.set(u["proses"], SPBE.subProsesDari, p2)
    return [u["proses"], p2]


@fault("SubProsesLevelShape")
def _level(b: Builder) -> list[URIRef]:
    u = b.unit("LVLX")
    p2 = b.proses("LVLX-02", u["opd"], parent=u["proses"], level=3)
    return [p2]


@fault("JenisLayananSesuaiRALShape", "LayananInternalShape")
def _jenis_ral(b: Builder) -> list[URIRef]:
    u = b.unit("JRAL")
    b.set(u["layanan"], SPBE.klasifikasiRAL, ref("RAL.02.04.01"))
    return [u["layanan"]]


@fault("SOPModelBPMNShape")
def _bpmn(b: Builder) -> list[URIRef]:
    u = b.unit("BPMN")
    model = b.iri("sop", "BPMN-MODEL")
    b.add(model, RDF.type, SPBE.ModelBPMN)
    b.add(model, SPBE.merinci, b.iri("proses-bisnis", "BASE-01"))
    b.add(u["sop"], SPBE.diturunkanDari, model)
    return [u["sop"]]


# sop.ttl

@fault("SOP-untukProsesBisnis", "SOP-status", "SOP-nomor", "SOP-tanggalPembuatan",
       "SOP-tanggalRevisi", "SOP-tanggalEfektif", "SOP-disahkanOlehJabatan",
       "SOP-disahkanOlehNama", "SOP-disahkanOlehNIP", "SOP-areaManajemen", "SOPShape",
       "SOP-NIP-format", "SOPNIPShape")
def _sop_identitas(b: Builder) -> list[URIRef]:
    u = b.unit("SOPI")
    s = u["sop"]
    b.drop(s, SPBE.untukProsesBisnis)
    b.drop(s, SPBE.statusSOP)
    b.add(s, SPBE.nomorSOP, Literal("nomor kedua"))
    b.add(s, SPBE.tanggalPembuatan, Literal("2025"))
    b.add(s, SPBE.tanggalRevisi, Literal("2025-13-01", datatype=XSD.date))
    b.add(s, SPBE.tanggalEfektif, Literal("2025-02-01", datatype=XSD.date))
    b.add(s, SPBE.disahkanOlehJabatan, Literal("Sekretaris"))
    b.add(s, SPBE.disahkanOlehNama, Literal("Nama Lain"))
    b.add(s, SPBE.disahkanOlehNIP, Literal("1970"))
    b.add(s, SPBE.areaManajemen, SPBE.Draft)
    return [s]


@fault("SOP-pelaksana", "SOP-langkah")
def _sop_kosong(b: Builder) -> list[URIRef]:
    u = b.unit("SOPK")
    s = b.element("sop", SPBE.SOP, "SOPK-02.SOP.01", "SOP tanpa langkah")
    b.add(s, SPBE.pemilik, u["opd"])
    b.add(s, SPBE.untukProsesBisnis, u["proses"])
    b.add(s, SPBE.statusSOP, SPBE.Draft)
    only = iris.sop_step_iri(s, 1)
    b.add(only, RDF.type, SPBE.LangkahSOP)
    b.add(s, SPBE.memilikiLangkah, only, u["pelaksana"])
    return [s]


@fault("SOPDitetapkanShape")
def _ditetapkan(b: Builder) -> list[URIRef]:
    u = b.unit("TTPK")
    b.drop(u["sop"], SPBE.nomorSOP)
    b.drop(u["sop"], SPBE.tanggalEfektif)
    return [u["sop"]]


@fault("Langkah-urutan", "Langkah-kegiatan", "Langkah-simbol", "Langkah-pelaksana",
       "Langkah-berikutnya", "Langkah-jikaYa", "Langkah-jikaTidak", "LangkahSOPShape")
def _langkah(b: Builder) -> list[URIRef]:
    u = b.unit("LNGK")
    b.set(u["langkah2"], SPBE.urutan, Literal(0))
    b.drop(u["langkah2"], SPBE.nama)
    b.set(u["langkah4"], SPBE.jenisSimbol, SPBE.Draft)
    b.add(u["langkah4"], SPBE.dilaksanakanOleh, u["sop"])
    b.add(u["langkah4"], SPBE.langkahBerikutnya, u["langkah2"])
    b.add(u["langkah3"], SPBE.jikaYa, u["sop"])
    b.add(u["langkah3"], SPBE.jikaTidak, u["langkah4"])
    return [u["langkah2"], u["langkah3"], u["langkah4"]]


@fault("Pelaksana-nama", "Pelaksana-urutan", "PelaksanaSOPShape")
def _pelaksana(b: Builder) -> list[URIRef]:
    u = b.unit("PLKS")
    b.drop(u["pelaksana"], SPBE.nama)
    b.set(u["pelaksana"], SPBE.urutan, Literal("satu"))
    return [u["pelaksana"]]


@fault("SOPNomorUrutShape")
def _nomor(b: Builder) -> list[URIRef]:
    u = b.unit("NMRU")
    b.set(u["langkah3"], SPBE.urutan, Literal(2))
    return [u["sop"]]


@fault("SOPLangkahPertamaShape")
def _pertama(b: Builder) -> list[URIRef]:
    u = b.unit("PRTM")
    b.set(u["langkah1"], SPBE.jenisSimbol, SPBE.Kegiatan)
    for p, text in ((SPBE.kelengkapan, "Berkas"), (SPBE.waktu, "1 menit"), (SPBE.output, "x")):
        b.add(u["langkah1"], p, Literal(text))
    return [u["sop"]]


@fault("SOPLangkahTerakhirShape")
def _terakhir(b: Builder) -> list[URIRef]:
    u = b.unit("AKHR")
    b.add(u["langkah5"], SPBE.langkahBerikutnya, u["langkah1"])
    return [u["sop"]]


@fault("LangkahPelaksanaDariSOPShape")
def _pelaksana_sop(b: Builder) -> list[URIRef]:
    u = b.unit("PLKX")
    b.set(u["langkah2"], SPBE.dilaksanakanOleh,
          iris.sop_pelaksana_iri(b.iri("sop", "BASE-01.SOP.01"), "Pemohon"))
    return [u["langkah2"]]


@fault("KeputusanYaTidakShape")
def _keputusan(b: Builder) -> list[URIRef]:
    u = b.unit("KPTS")
    b.drop(u["langkah3"], SPBE.jikaTidak)
    return [u["langkah3"]]


@fault("LangkahDalamSOPShape")
def _dalam(b: Builder) -> list[URIRef]:
    u = b.unit("DLMX")
    b.add(u["langkah5"], SPBE.jikaTidak,
          iris.sop_step_iri(b.iri("sop", "BASE-01.SOP.01"), 2))
    return [u["langkah5"]]


@fault("SOPLangkahTerjangkauShape")
def _terjangkau(b: Builder) -> list[URIRef]:
    u = b.unit("JNGK")
    b.drop(u["langkah3"], SPBE.jikaYa)
    b.add(u["langkah3"], SPBE.jikaYa, u["langkah2"])
    return [u["sop"]]


@fault("SOPLangkahMencapaiAkhirShape")
def _mencapai(b: Builder) -> list[URIRef]:
    u = b.unit("BNTU")
    b.drop(u["langkah4"], SPBE.langkahBerikutnya)
    return [u["sop"]]


@fault("MutuBakuShape")
def _mutu(b: Builder) -> list[URIRef]:
    u = b.unit("MUTU")
    b.drop(u["langkah2"], SPBE.waktu)
    return [u["langkah2"]]


# kesiapan.ttl

@fault("OPDTanpaSOPShape", "ProsesTanpaSOPShape")
def _tanpa_sop(b: Builder) -> list[URIRef]:
    o = b.opd("TSOP")
    p = b.proses("TSOP-01", o)
    lyn = b.layanan("TSOP-L1", o, p)
    b.data("TSOP-D1", o, p)
    b.aplikasi("TSOP-A1", o, lyn)
    return [o, p]


@fault("DomainTerisiShape", "Instansi-periode", "Instansi-nama")
def _domain(b: Builder) -> list[URIRef]:
    return [iris.instansi_iri("9903")]
