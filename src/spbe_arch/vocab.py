"""Namespaces and the terms of the SPBE ontology.

`SPBE` lists every class, property and named individual declared in
`ontology/spbe.ttl`; `_fail = True` makes a typo an error at import time instead
of a silently wrong IRI. A test checks that this list and the ontology agree.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

BASE = "https://w3id.org/spbe-arch/"
"""Default base of every IRI the project mints (configurable for minting, see `iris`)."""

ORG = Namespace("http://www.w3.org/ns/org#")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCT = Namespace("http://purl.org/dc/terms/")
SH = Namespace("http://www.w3.org/ns/shacl#")
BPMN = Namespace(BASE + "bpmn#")
"""Vocabulary for imported BPMN 2.0 models (declared in `ontology/bpmn.ttl`)."""
EVAL = Namespace(BASE + "evaluasi#")
"""Vocabulary for evaluation frameworks and self-assessments (`ontology/evaluasi.ttl`)."""


class SPBE(DefinedNamespace):
    """The SPBE architecture ontology, `https://w3id.org/spbe-arch/ontology#`."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # --- instansi and architecture period -------------------------------------------------
    Instansi: URIRef  # a government body (pemda or instansi pusat); org:FormalOrganization
    PemerintahDaerah: URIRef  # subclass of Instansi
    PeriodeArsitektur: URIRef  # a 5-year architecture period of one instansi
    VersiReferensi: URIRef  # a version of the national reference architecture
    kodeWilayah: URIRef  # Instansi -> xsd:string, e.g. "3574"
    periode: URIRef  # Instansi/element -> PeriodeArsitektur
    tahunMulai: URIRef  # PeriodeArsitektur -> xsd:gYear
    tahunSelesai: URIRef  # PeriodeArsitektur -> xsd:gYear
    statusDokumen: URIRef  # PeriodeArsitektur -> StatusDokumen individual
    nomorRegulasi: URIRef  # PeriodeArsitektur -> xsd:string ("Perwali No. 12 Tahun 2023")
    tanggalRegulasi: URIRef  # PeriodeArsitektur -> xsd:date
    tanggalReviu: URIRef  # PeriodeArsitektur -> xsd:date (periodic review recorded)
    versiReferensi: URIRef  # PeriodeArsitektur / ConceptScheme -> VersiReferensi
    StatusDokumen: URIRef
    Draft: URIRef  # status draft (architecture document and SOP)
    Ditetapkan: URIRef  # status ditetapkan (set by regulation / signed)

    # --- common ---------------------------------------------------------------------------
    ElemenArsitektur: URIRef  # superclass of every element of the six domains
    kode: URIRef  # xsd:string, unique within an instansi per class
    nama: URIRef  # rdfs:label subproperty
    uraian: URIRef  # dcterms:description subproperty
    instansi: URIRef  # element -> Instansi it belongs to
    pemilik: URIRef  # element -> PerangkatDaerah that owns it
    level: URIRef  # skos:Concept of a reference -> xsd:integer (1..n)
    jenisReferensi: URIRef  # skos:ConceptScheme -> "RAB" | "RAL" | ...
    provisional: URIRef  # xsd:boolean: figure or list not (yet) from an official source
    daftarDiimpor: URIRef  # ConceptScheme -> xsd:boolean: its list came from `reference import`

    # --- perangkat daerah -----------------------------------------------------------------
    PerangkatDaerah: URIRef  # org:OrganizationalUnit
    JenisPerangkatDaerah: URIRef
    jenisOPD: URIRef  # PerangkatDaerah -> JenisPerangkatDaerah individual
    singkatan: URIRef  # PerangkatDaerah -> xsd:string
    indukOPD: URIRef  # Bagian/UPT -> parent PerangkatDaerah (org:subOrganizationOf)
    SekretariatDaerah: URIRef
    SekretariatDPRD: URIRef
    Inspektorat: URIRef
    Dinas: URIRef
    Badan: URIRef
    Kecamatan: URIRef
    Bagian: URIRef
    UPT: URIRef
    RSUD: URIRef

    # --- proses bisnis --------------------------------------------------------------------
    ProsesBisnis: URIRef
    klasifikasiRAB: URIRef  # ProsesBisnis -> RAB level-3 concept
    klasifikasiLokal: URIRef  # element -> local level-4/5 skos:Concept under its level-3 code
    subProsesDari: URIRef  # ProsesBisnis -> parent ProsesBisnis
    levelPetaProses: URIRef  # ProsesBisnis -> xsd:integer (0..n)
    jenisProses: URIRef  # -> JenisProses individual
    statusProses: URIRef  # -> StatusProses individual
    merealisasikan: URIRef  # ProsesBisnis -> Layanan
    menghasilkanData: URIRef  # ProsesBisnis -> DataInformasi
    JenisProses: URIRef
    ProsesUtama: URIRef
    ProsesPendukung: URIRef
    ProsesManajemen: URIRef
    StatusProses: URIRef
    AsIs: URIRef
    Upgrade: URIRef
    Baru: URIRef

    # --- layanan --------------------------------------------------------------------------
    Layanan: URIRef  # rdfs:subClassOf cpsv:PublicService
    klasifikasiRAL: URIRef  # Layanan -> RAL level-3 concept
    jenisLayanan: URIRef  # -> JenisLayanan individual
    unitPelaksana: URIRef  # Layanan -> PerangkatDaerah
    targetLayanan: URIRef  # -> TargetLayanan individual (1..n)
    metodeLayanan: URIRef  # -> MetodeLayanan individual
    tujuan: URIRef  # Layanan -> xsd:string
    menggunakanData: URIRef  # Layanan/Aplikasi -> DataInformasi
    JenisLayanan: URIRef
    LayananPublik: URIRef
    LayananAdministrasiPemerintahan: URIRef
    TargetLayanan: URIRef
    Masyarakat: URIRef
    PelakuUsaha: URIRef
    ASN: URIRef
    Pemerintah: URIRef
    MetodeLayanan: URIRef
    Elektronik: URIRef
    Hybrid: URIRef
    TatapMuka: URIRef

    # --- data dan informasi ---------------------------------------------------------------
    DataInformasi: URIRef
    klasifikasiRAD: URIRef  # DataInformasi -> RAD leaf concept
    sifatData: URIRef  # -> SifatData individual
    jenisData: URIRef  # -> JenisData individual
    waliData: URIRef  # DataInformasi -> PerangkatDaerah
    validitasData: URIRef  # xsd:string from the fixed list (Realtime, Harian, ...)
    SifatData: URIRef
    Terbuka: URIRef
    Terbatas: URIRef
    Tertutup: URIRef
    JenisData: URIRef
    DataStatistik: URIRef
    DataGeospasial: URIRef
    DataKeuangan: URIRef
    DataLainnya: URIRef

    # --- aplikasi, infrastruktur, keamanan ------------------------------------------------
    Aplikasi: URIRef
    klasifikasiRAA: URIRef  # Aplikasi -> RAA concept
    mendukungLayanan: URIRef  # Aplikasi -> Layanan
    jenisAplikasi: URIRef  # -> JenisAplikasi individual
    JenisAplikasi: URIRef
    AplikasiUmum: URIRef
    AplikasiKhusus: URIRef
    Infrastruktur: URIRef
    klasifikasiRAI: URIRef  # Infrastruktur -> RAI concept
    jenisInfrastruktur: URIRef  # -> JenisInfrastruktur individual (12 SIA object kinds)
    JenisInfrastruktur: URIRef
    # the 12 SIA infrastructure object kinds (domain brief §3.2, attributes UNSURE)
    KomputasiAwan: URIRef
    PerangkatKerasServer: URIRef
    Periferal: URIRef
    MediaPenyimpanan: URIRef
    Jaringan: URIRef
    PerangkatKeamanan: URIRef
    SistemOperasi: URIRef
    SistemDatabase: URIRef
    SistemUtilitas: URIRef
    JaringanIntraPemerintah: URIRef
    SistemPenghubungLayanan: URIRef
    FasilitasKomputasi: URIRef
    Keamanan: URIRef
    klasifikasiRAK: URIRef  # Keamanan -> RAK concept
    jenisKeamanan: URIRef  # -> JenisKeamanan individual (7 objects)
    JenisKeamanan: URIRef
    # the 7 keamanan objects (domain brief §3.2, VERIFIED list)
    StandarProsedurRegulasiKeamanan: URIRef
    EdukasiKesadaranKeamanan: URIRef
    IdentifikasiKerentanan: URIRef
    PeningkatanKeamanan: URIRef
    PenangananInsiden: URIRef
    AuditKeamanan: URIRef
    KelaikanKeamanan: URIRef

    # --- SOP (PermenPANRB 35/2012) --------------------------------------------------------
    SOP: URIRef
    untukProsesBisnis: URIRef  # SOP -> ProsesBisnis it belongs to
    nomorSOP: URIRef
    tanggalPembuatan: URIRef  # xsd:date
    tanggalRevisi: URIRef  # xsd:date
    tanggalEfektif: URIRef  # xsd:date
    disahkanOlehJabatan: URIRef
    disahkanOlehNama: URIRef
    disahkanOlehNIP: URIRef
    dasarHukum: URIRef  # xsd:string, 0..n
    kualifikasiPelaksana: URIRef  # 0..n
    keterkaitan: URIRef  # 0..n (text; a related SOP can also be linked with sopTerkait)
    sopTerkait: URIRef  # SOP -> SOP
    peralatanPerlengkapan: URIRef  # 0..n
    peringatan: URIRef
    pencatatanPendataan: URIRef  # 0..n
    statusSOP: URIRef  # -> Draft | Ditetapkan
    areaManajemen: URIRef  # SOP SPBE -> AreaManajemenSPBE individual
    memilikiPelaksana: URIRef  # SOP -> PelaksanaSOP
    memilikiLangkah: URIRef  # SOP -> LangkahSOP
    PelaksanaSOP: URIRef  # a role (jabatan) acting in an SOP
    LangkahSOP: URIRef
    urutan: URIRef  # LangkahSOP / PelaksanaSOP -> xsd:integer (1-based)
    jenisSimbol: URIRef  # LangkahSOP -> JenisSimbol individual
    dilaksanakanOleh: URIRef  # LangkahSOP -> PelaksanaSOP
    kelengkapan: URIRef  # mutu baku
    waktu: URIRef  # mutu baku (text, e.g. "15 menit")
    output: URIRef  # mutu baku
    keterangan: URIRef
    langkahBerikutnya: URIRef  # LangkahSOP -> LangkahSOP
    jikaYa: URIRef  # decision -> LangkahSOP
    jikaTidak: URIRef  # decision -> LangkahSOP
    JenisSimbol: URIRef
    Terminator: URIRef
    Kegiatan: URIRef
    Keputusan: URIRef
    PenghubungHalaman: URIRef  # off-page connector
    AreaManajemenSPBE: URIRef
    ManajemenRisiko: URIRef
    ManajemenKeamananInformasi: URIRef
    ManajemenData: URIRef
    ManajemenAsetTIK: URIRef
    ManajemenSDM: URIRef
    ManajemenPengetahuan: URIRef
    ManajemenPerubahan: URIRef
    ManajemenLayanan: URIRef
    AuditTIK: URIRef

    # --- BPMN link and provenance ---------------------------------------------------------
    ModelBPMN: URIRef  # an imported BPMN model (one named graph)
    merinci: URIRef  # ModelBPMN -> ProsesBisnis it details
    diturunkanDari: URIRef  # SOP -> ModelBPMN (prov:wasDerivedFrom subproperty)
    Perubahan: URIRef  # a recorded write (prov:Activity)
    tripelDitambah: URIRef  # Perubahan -> xsd:string (N-Triples of added triples)
    tripelDihapus: URIRef  # Perubahan -> xsd:string (N-Triples of removed triples)
    menyebut: URIRef  # Perubahan -> IRI its recorded triples/update/prov:used name (index)
    JejakAuditTerindeks: URIRef  # the provenance graph, once every record has its index
