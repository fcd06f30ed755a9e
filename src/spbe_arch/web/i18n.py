"""The pages' words in Indonesian (as written in the templates) and in English.

Templates write Indonesian text and pass it through `_()`; `translate` looks the English up
here. A text with `{name}` placeholders is filled after translation. tests/web checks that
every text the templates and page handlers use has an English entry.
"""

from __future__ import annotations

from typing import Any

EN: dict[str, str] = {
    # layout
    "Repositori Arsitektur SPBE": "SPBE Architecture Repository",
    "Lewati ke isi halaman": "Skip to content",
    "Bahasa": "Language",
    "Keluar": "Sign out",
    "Masuk": "Sign in",
    "Menu utama": "Main menu",
    "Titik akhir SPARQL": "SPARQL endpoint",
    "REST API": "REST API",
    "reader": "reader",
    "editor": "editor",
    "admin": "admin",
    "Token Anda tidak berlaku lagi (dicabut atau salah); Anda sekarang anonim. Silakan masuk"
    " lagi.": "Your token is no longer valid (revoked or wrong); you are anonymous now. Please"
              " sign in again.",
    # navigation
    "Dasbor": "Dashboard",
    "OPD": "OPD",
    "Proses bisnis": "Business processes",
    "Layanan": "Services",
    "Data": "Data",
    "Aplikasi": "Applications",
    "Referensi": "Reference",
    "SPARQL": "SPARQL",
    "Validasi": "Validation",
    "Impor": "Import",
    "Proses dan SOP": "Processes and SOPs",
    "Laporan": "Reports",
    # errors
    "Terjadi masalah": "Something went wrong",
    "Tidak ditemukan": "Not found",
    "Kesalahan": "Error",
    "Kembali ke dasbor": "Back to the dashboard",
    "Kode status": "Status code",
    # dashboard
    "Ringkasan arsitektur SPBE instansi: jumlah elemen, hasil validasi, cakupan SOP dan"
    " kesiapan evaluasi. Klik batang grafik untuk membuka daftarnya; angka lengkap ada di"
    " bawah setiap grafik.": "Summary of the body's SPBE architecture: element counts,"
                             " validation results, SOP coverage and evaluation readiness. Click"
                             " a bar to open its list; the full numbers are below each chart.",
    "Repositori belum berisi data arsitektur instansi ini. Mulai dari halaman Impor (Excel,"
    " Turtle/JSON-LD, BPMN) atau jalankan spbe-arch demo.":
        "The repository holds no architecture data of this body yet. Start on the Import"
        " page (Excel, Turtle/JSON-LD, BPMN) or run spbe-arch demo.",
    "Ke halaman Impor": "Go to the Import page",
    "Elemen per domain": "Elements per domain",
    "Jumlah elemen per domain": "Number of elements per domain",
    "Validasi terakhir": "Latest validation",
    "Sesuai aturan": "Conforms",
    "Ada pelanggaran": "Has violations",
    "dijalankan": "run at",
    "Hasil validasi terakhir per tingkat": "Latest validation results by severity",
    "Tabel angka": "Table of numbers",
    "Tingkat": "Severity",
    "Jumlah": "Count",
    "Tren hasil validasi": "Validation results over time",
    "Waktu": "Time",
    "Pelanggaran": "Violation",
    "Peringatan": "Warning",
    "Informasi": "Info",
    "Belum ada laporan validasi tersimpan.": "No stored validation report yet.",
    "Buka halaman Validasi": "Open the Validation page",
    "Domain": "Domain",
    "Cakupan SOP per OPD": "SOP coverage per OPD",
    "Cakupan SOP": "SOP coverage",
    "{a} dari {b} proses bisnis memiliki SOP ditetapkan; {d} SOP draf, {e} SOP ditetapkan.":
        "{a} of {b} business processes have an enacted SOP; {d} draft SOPs, {e} enacted SOPs.",
    "Cakupan SOP ditetapkan per OPD (%)": "Coverage by enacted SOPs per OPD (%)",
    "Persentase proses bisnis OPD yang memiliki SOP berstatus ditetapkan; OPD yang paling"
    " tertinggal di atas.": "Share of the OPD's business processes with an enacted SOP; the"
                           " OPDs furthest behind first.",
    "Proses dengan SOP": "Processes with an SOP",
    "Proses dengan SOP ditetapkan": "Processes with an enacted SOP",
    "SOP draf": "Draft SOPs",
    "SOP ditetapkan": "Enacted SOPs",
    "Cakupan (%)": "Coverage (%)",
    "Belum ada proses bisnis milik OPD.": "No business process belongs to an OPD yet.",
    "Kesiapan evaluasi SPBE": "SPBE evaluation readiness",
    "Kerangka evaluasi": "Evaluation framework",
    "Tahun": "Year",
    "Tampilkan": "Show",
    "Indeks penilaian mandiri": "Self-assessment index",
    "{n} indikator belum dinilai, dihitung 0": "{n} indicators not assessed yet, counted as 0",
    "Belum ada penilaian mandiri untuk tahun {year}.": "No self-assessment for {year} yet.",
    "Indeks saran dari isi repositori": "Index suggested by the repository's content",
    "saran, bukan nilai resmi": "suggestion, not an official score",
    "Indeks per aspek": "Index per aspect",
    "Aspek": "Aspect",
    "Bobot": "Weight",
    "Indeks": "Index",
    "Tren indeks penilaian mandiri": "Self-assessment index over time",
    "Sumber angka: layanan evaluasi (API /evaluation); laporan lengkap: Laporan Kesiapan"
    " Evaluasi SPBE di halaman Laporan.": "Source of the numbers: the evaluation service (API"
                                         " /evaluation); full report: the SPBE evaluation"
                                         " readiness report on the Reports page.",
    "kerangka evaluasi ini belum terverifikasi (PROVISIONAL)":
        "this evaluation framework is not verified yet (PROVISIONAL)",
    "bobot per indikator belum terverifikasi dari sumber resmi":
        "the indicator weights are not verified against an official source yet",
    "rumus indeks (rerata tertimbang) belum terverifikasi dari sumber resmi":
        "the index formula (weighted mean) is not verified against an official source yet",
    # sign-in
    "Masuk dengan token API": "Sign in with an API token",
    "Token API dibuat oleh admin dengan perintah spbe-arch token create. Peran token (reader,"
    " editor untuk OPD tertentu, admin) menentukan apa yang boleh Anda ubah, sama seperti di"
    " API.": "API tokens are created by an admin with spbe-arch token create. The token's role"
             " (reader, editor of certain OPDs, admin) decides what you may change, as in the"
             " API.",
    "Server ini tidak mengizinkan baca anonim: masuk dulu untuk melihat repositori.":
        "This server does not allow anonymous reading: sign in to see the repository.",
    "Token API": "API token",
    "Token tidak disimpan di peramban: masuk membuka sesi di server, dan peramban ini hanya"
    " menyimpan nomor sesi acak dalam cookie HttpOnly. Sesi berakhir saat Anda keluar, setelah"
    " 12 jam, saat token dicabut, atau saat server dimulai ulang.":
        "The token is not kept in the browser: signing in opens a session on the server, and"
        " this browser keeps only a random session number in an HttpOnly cookie. The session"
        " ends when you sign out, after 12 hours, when the token is revoked, or when the server"
        " restarts.",
    "Token tidak dikenal atau sudah dicabut. Periksa lagi token Anda (dimulai dengan spbe_).":
        "Unknown or revoked token. Check your token again (it starts with spbe_).",
    "Isi token API Anda.": "Enter your API token.",
    # lists, details, forms
    "Cari (kode, nama, uraian)": "Search (code, name, description)",
    "Semua OPD": "All OPDs",
    "Kode referensi (termasuk turunannya)": "Reference code (including narrower codes)",
    "Status": "Status",
    "Semua status": "All statuses",
    "Hapus saringan": "Clear filters",
    "{n} elemen": "{n} elements",
    "Tambah": "Add",
    "Kode": "Code",
    "Halaman": "Pages",
    "Sebelumnya": "Previous",
    "Berikutnya": "Next",
    "Halaman {n} dari {total}": "Page {n} of {total}",
    "Tidak ada elemen yang cocok.": "No element matches.",
    "Ubah": "Edit",
    "Temuan validasi OPD ini": "Validation findings of this OPD",
    "Temuan validasi": "Validation findings",
    "Cara memperbaiki": "How to fix it",
    "Dari laporan validasi tersimpan terakhir": "From the latest stored validation report",
    "Atribut": "Attributes",
    "tidak ada di referensi yang berlaku": "not in the reference in force",
    "Dirujuk oleh / terkait": "Referred to by / related",
    "SOP proses ini": "SOPs of this process",
    "Dimiliki OPD ini: {what}": "Owned by this OPD: {what}",
    "Riwayat perubahan": "Change history",
    "Oleh": "By",
    "Keterangan": "Remarks",
    "Belum ada perubahan tercatat di jejak audit.": "No change recorded in the audit trail yet.",
    "Perubahan disimpan.": "Changes saved.",
    "Elemen baru disimpan.": "New element saved.",
    "Permintaan gagal": "The request failed",
    "Token ini sudah kedaluwarsa. Minta token baru kepada admin.":
        "This token has expired. Ask an admin for a new one.",
    "Server tidak dapat dihubungi; periksa jaringan, lalu coba lagi.":
        "The server cannot be reached; check the network, then try again.",
    "Elemen ini diubah orang lain sejak formulir ini dibuka, jadi belum disimpan."
    " Isian Anda masih di bawah; bandingkan dengan halaman elemen, lalu simpan"
    " lagi bila tetap ingin menggantinya.":
        "Somebody else changed this element after this form was opened, so it was not"
        " saved. What you typed is still below; compare it with the element's page, then"
        " save again if you still want to replace it.",
    "Perubahan diperiksa dengan aturan arsitektur (SHACL) yang sama dengan API sebelum"
    " disimpan; bila melanggar, tidak ada yang disimpan dan pelanggarannya tampil di samping"
    " kolomnya.": "Changes are checked against the same architecture rules (SHACL) as the API"
                  " before they are saved; if they break one, nothing is saved and the"
                  " violation is shown next to its field.",
    "Belum disimpan.": "Not saved.",
    "Kode tidak dapat diubah di sini.": "The code cannot be changed here.",
    "{other} yang {link} {kind} ini": "{other} that {link} this {kind}",
    "{other} yang dipilih mendapat tautan ke {kind} baru ini dalam perubahan yang sama"
    " (aturan dapat memintanya, dan {other} tidak dapat merujuk {kind} yang belum ada).":
        "Each chosen {other} gets a link to this new {kind} in the same change (the rules"
        " may ask for it, and a {other} cannot refer to a {kind} that does not exist yet).",
    "Pilih lebih dari satu dengan Ctrl/Shift (keyboard: Spasi untuk memilih).":
        "Choose several with Ctrl/Shift (keyboard: Space to select).",
    "(kosong)": "(empty)",
    "nilai tersimpan yang tidak ada dalam pilihan": "stored value that is not among the choices",
    "Berkas BPMN ini tidak memuat gambar diagramnya (BPMN DI), hanya isinya; isinya tetap"
    " tersimpan dan dapat diturunkan menjadi SOP.":
        "This BPMN file holds no drawing of its diagram (BPMN DI), only its content; the"
        " content is stored and can still be derived into an SOP.",
    "Terpilih sekarang:": "Selected now:",
    "Simpan": "Save",
    "Batal": "Cancel",
    # reference
    "Referensi arsitektur nasional": "National reference architecture",
    "Pohon kode referensi arsitektur nasional dengan elemen instansi yang dipetakan ke setiap"
    " kode; kode yang belum tercakup ditandai merah.":
        "The national reference code trees with the body's elements mapped to each code;"
        " codes not covered yet are marked red.",
    "Daftar sementara, belum dari sumber resmi: {s}.":
        "Provisional lists, not from an official source yet: {s}.",
    "Daftar kode {s} ini bersifat sementara: nama diambil dari sumber sekunder dan kodenya"
    " disusun spbe-arch, belum diverifikasi terhadap sumber resmi.":
        "This {s} code list is provisional: its names come from a secondary source and its"
        " codes were assigned by spbe-arch; it is not verified against an official source.",
    "Referensi {s} belum dimuat ke repositori (spbe-arch init memuatnya).":
        "The {s} reference is not loaded in the repository (spbe-arch init loads it).",
    "{a} dari {b} kode terbawah sudah dipetakan oleh sedikitnya satu elemen instansi.":
        "{a} of {b} lowest-level codes are mapped by at least one element of the body.",
    "Tampilkan semua kode": "Show all codes",
    "Tampilkan hanya yang belum tercakup": "Show only codes not covered",
    "{n} elemen tanpa kode {s} yang sah": "{n} elements without a valid {s} code",
    "belum dipetakan": "not mapped",
    "{a} dari {b} kode terbawah tercakup": "{a} of {b} lowest-level codes covered",
    # reference: importing an official list
    "Impor daftar resmi RAA, RAI atau RAK": "Import the official RAA, RAI or RAK list",
    "Mengganti daftar sementara dengan daftar resmi. Dengan mengimpor, Anda menyatakan berkas"
    " itu daftar resmi; kode elemen yang tidak ada di daftar baru ditampilkan dulu dan"
    " setelahnya mendapat peringatan validasi.":
        "Replaces a provisional list with the official one. By importing you state that the"
        " file is the official list; elements whose code is not in the new list are shown"
        " first and get a validation warning afterwards.",
    "Skema": "Scheme",
    "sementara": "provisional",
    "resmi": "official",
    "RAB, RAL dan RAD adalah daftar resmi yang sudah diverifikasi dan tidak diganti di sini.":
        "RAB, RAL and RAD are the verified official lists and are not replaced here.",
    "Berkas daftar resmi": "File of the official list",
    "CSV (koma atau titik koma, UTF-8) atau Excel .xlsx (sheet pertama) dengan baris judul"
    " kode, nama, induk (boleh juga level dan keterangan), atau daftar JSON format proyek."
    " Batas {mb} MB.":
        "CSV (comma or semicolon, UTF-8) or Excel .xlsx (first sheet) with the header row"
        " kode, nama, induk (level and keterangan may be added), or the project's JSON list."
        " Limit {mb} MB.",
    "Sumber resmi": "Official source",
    "Nama peraturan atau URL daftar resmi; bila kosong, nama berkas.":
        "The regulation's name or the official list's URL; when empty, the file name.",
    "Periksa dulu": "Check first",
    "Daftar resmi belum diimpor.": "The official list was not imported.",
    "Pilih berkas daftar kode (.csv, .xlsx atau .json).":
        "Choose the code list file (.csv, .xlsx or .json).",
    "Berkas ini punya {n} masalah; perbaiki lalu pilih berkasnya lagi. Tidak ada yang"
    " disimpan.": "This file has {n} problems; fix them, then choose the file again. Nothing"
                  " was stored.",
    "Rencana impor daftar {s}": "Plan for importing the {s} list",
    "Impor daftar {s}": "Import of the {s} list",
    "Uji coba: belum ada yang disimpan. Periksa rencana di bawah, lalu impor.":
        "Dry run: nothing is stored yet. Check the plan below, then import.",
    "Disimpan: skema {s} kini daftar resmi.": "Stored: scheme {s} is now the official list.",
    "Tidak ada perubahan: daftar ini sudah dimuat.":
        "Nothing changed: this list is loaded already.",
    "sebelumnya sementara": "provisional before",
    "Konsep daftar baru": "Concepts of the new list",
    "{a} ditambah, {r} dihapus, {n} diganti nama, {m} dipindah; {e} elemen terdampak.":
        "{a} added, {r} removed, {n} renamed, {m} moved; {e} elements affected.",
    "Impor daftar {s} ini": "Import this {s} list",
    "Lihat pohon {s}": "Show the {s} tree",
    "Perubahan konsep": "Concept changes",
    "Konsepnya sama dengan daftar yang dimuat.": "The concepts are those of the loaded list.",
    "Ditambah": "Added",
    "Dihapus": "Removed",
    "Diganti nama": "Renamed",
    "Dipindah": "Moved",
    "induk {a} → {b}": "parent {a} → {b}",
    "… dan {n} lagi": "… and {n} more",
    "Elemen yang kodenya tidak ada di daftar baru": "Elements whose code is not in the new list",
    "Setelah penggantian, validasi memberi elemen ini peringatan Elemen-klasifikasi{s}-dikenal"
    " sampai kodenya diganti dengan kode daftar baru.":
        "After the replacement, validation gives these elements the warning"
        " Elemen-klasifikasi{s}-dikenal until their code is changed to one of the new list.",
    "Kode {s}": "{s} code",
    "sudah tidak dikenal sebelumnya": "already unknown before",
    "Tidak ada: setiap elemen tetap memakai kode yang ada di daftar baru.":
        "None: every element keeps a code that is in the new list.",
    # SPARQL
    "Kueri SPARQL": "SPARQL query",
    "Tulis kueri sendiri atau pilih kueri bernama dari pustaka. Kueri dijalankan dengan batas"
    " waktu dan ukuran yang sama dengan titik akhir /sparql; halaman ini hanya membaca.":
        "Write your own query or pick a named query from the library. Queries run with the"
        " same time and size limits as the /sparql endpoint; this page only reads.",
    "Kueri bernama": "Named queries",
    "Kueri baru": "New query",
    "Parameter": "Parameters",
    "boleh dikosongkan": "may be left empty",
    "Teks kueri": "Query text",
    "Ctrl+Enter menjalankan kueri. Tab berpindah ke tombol berikutnya.":
        "Ctrl+Enter runs the query. Tab moves on to the next button.",
    "Jalankan": "Run",
    "Unduh CSV": "Download CSV",
    "Unduh JSON": "Download JSON",
    "menjalankan…": "running…",
    "Jawaban ASK": "ASK answer",
    "ya (true)": "yes (true)",
    "tidak (false)": "no (false)",
    "{n} tripel": "{n} triples",
    "{n} baris": "{n} rows",
    "ditampilkan {n} baris pertama; unduh untuk semuanya":
        "showing the first {n} rows; download for all of them",
    "Klik judul kolom untuk mengurutkan.": "Click a column heading to sort.",
    # validation
    "Validasi arsitektur": "Architecture validation",
    "Temuan pemeriksaan aturan arsitektur (SHACL) dari laporan validasi tersimpan terakhir."
    " Setiap temuan menautkan ke elemennya dan menjelaskan cara memperbaikinya.":
        "Findings of the architecture rules (SHACL) from the latest stored validation report."
        " Each finding links to its element and says how to fix it.",
    "Laporan terakhir": "Latest report",
    "Belum ada laporan validasi tersimpan untuk instansi ini.":
        "No stored validation report for this body yet.",
    "Jalankan validasi sekarang": "Run validation now",
    "Masuk sebagai editor atau admin untuk menjalankan validasi.":
        "Sign in as an editor or admin to run validation.",
    "Masuk sebagai editor OPD atau admin untuk mengimpor berkas.":
        "Sign in as an OPD editor or admin to import files.",
    "Semua tingkat": "All severities",
    "Aturan": "Rule",
    "Semua aturan": "All rules",
    "Saring": "Filter",
    "{n} dari {total} temuan": "{n} of {total} findings",
    "Elemen": "Element",
    "Temuan dan cara memperbaiki": "Finding and how to fix it",
    "nilai": "value",
    "Perbaiki": "Fix",
    "Tidak ada temuan yang cocok dengan saringan.": "No finding matches the filters.",
    "Validasi selesai dan laporannya disimpan.": "Validation finished and its report was"
                                                 " stored.",
    # import
    "Impor data arsitektur": "Import architecture data",
    "Unggah berkas, periksa pratinjau perubahan dan masalahnya per berkas dan baris, lalu"
    " simpan. Tidak ada yang ditulis sebelum Anda menekan Simpan.":
        "Upload files, check the preview of the changes and the problems per file and row,"
        " then save. Nothing is written before you press Save.",
    "Pratinjau": "Preview",
    "tidak dapat diimpor": "cannot be imported",
    "tidak ada perubahan": "no changes",
    "siap disimpan": "ready to save",
    "Isi model": "Model contents",
    "Merinci proses bisnis": "Details the business process",
    "Sumber daya baru per kelas": "New resources per class",
    "Masalah (harus diperbaiki dulu; tidak ada yang disimpan):":
        "Problems (fix them first; nothing was stored):",
    "Letak": "Where",
    "Masalah": "Problem",
    "… dan {n} masalah lagi": "… and {n} more problems",
    "Perubahan per elemen ({n})": "Changes per element ({n})",
    "Tindakan": "Action",
    "Jenis": "Kind",
    "Kolom yang berubah": "Changed fields",
    "tambah": "add",
    "ubah": "change",
    "hapus": "remove",
    "Catatan dan peringatan ({n})": "Notes and warnings ({n})",
    "Catatan": "Note",
    "Simpan {name}": "Save {name}",
    "Unggah berkas lain": "Upload other files",
    "Berkas": "Files",
    "Excel dari templat (.xlsx; editor OPD atau admin), model BPMN 2.0 mis. ekspor Bizagi"
    " (.bpmn; editor OPD proses bisnisnya), Turtle/JSON-LD/N-Triples/RDF-XML (.ttl, .jsonld,"
    " .nt, .rdf; admin, ditambahkan ke graf instansi). Batas {mb} MB per berkas.":
        "Excel from the template (.xlsx; OPD editor or admin), BPMN 2.0 models e.g. exported"
        " from Bizagi (.bpmn; editor of the process's OPD), Turtle/JSON-LD/N-Triples/RDF-XML"
        " (.ttl, .jsonld, .nt, .rdf; admin, added to the body's graph). At most {mb} MB per"
        " file.",
    "Kode proses bisnis yang dirinci model BPMN (opsional)":
        "Code of the business process the BPMN model details (optional)",
    "Hanya untuk berkas .bpmn, mis. DISKOMINFO-01.02. Tanpa kode, model tetap tertaut ke"
    " proses versi sebelumnya (bila ada).": "Only for .bpmn files, e.g. DISKOMINFO-01.02."
                                          " Without a code the model keeps the process of"
                                          " its previous version (if any).",
    "Hapus elemen OPD yang tidak ada di berkas Excel (opsional)":
        "Delete the OPD's elements that are not in the Excel file (optional)",
    "Kode OPD, mis. DINKES. Proses bisnis, layanan, data, aplikasi, infrastruktur, keamanan"
    " dan SOP OPD itu yang tidak ada di berkas akan dihapus; pratinjau menampilkannya dulu."
    " Kosongkan agar tidak ada yang dihapus.":
        "OPD code, e.g. DINKES. That OPD's business processes, services, data, applications,"
        " infrastructure, security elements and SOPs that are not in the file are deleted;"
        " the preview shows them first. Leave empty to delete nothing.",
    "Unduh templat Excel": "Download the Excel template",
    "Pilih sedikitnya satu berkas untuk diunggah.": "Choose at least one file to upload.",
    "Model {m} sudah tersimpan dengan isi yang sama (versi {v}); tidak ada perubahan.":
        "Model {m} is already stored with the same content (version {v}); nothing changes.",
    "Model {m} ({name}) akan menjadi versi {v}, menggantikan versi {old}.":
        "Model {m} ({name}) becomes version {v}, replacing version {old}.",
    "Model baru {m} ({name}), versi 1.": "New model {m} ({name}), version 1.",
    "{a} tripel baru ditambahkan ke graf instansi; {b} tripel sudah ada.":
        "{a} new triples are added to the body's graph; {b} triples are already there.",
    "{n} tripel ditambahkan ke graf instansi.": "{n} triples added to the body's graph.",
    "Impor tersimpan": "Import saved",
    "Lihat diagram": "See the diagram",
    "Turunkan SOP untuk {p}": "Derive the SOP of {p}",
    "Impor berkas lain": "Import other files",
    "Ke halaman Validasi": "Go to the Validation page",
    # processes and SOPs
    "Model BPMN yang diimpor (mis. dari Bizagi) merinci proses bisnis; dari model itu SOP"
    " diturunkan dalam format PermenPANRB 35/2012.": "Imported BPMN models (e.g. from Bizagi)"
                                                   " detail business processes; SOPs in the"
                                                   " PermenPANRB 35/2012 format are derived"
                                                   " from them.",
    "Model BPMN": "BPMN models",
    "Model": "Model",
    "Versi": "Version",
    "Diimpor": "Imported",
    "belum ditautkan": "not linked yet",
    "Turunkan SOP": "Derive SOP",
    "Belum ada model BPMN. Unggah berkas .bpmn di halaman Impor.":
        "No BPMN model yet. Upload a .bpmn file on the Import page.",
    "SOP": "SOPs",
    "Nama": "Name",
    "Dari BPMN": "From BPMN",
    "Langkah": "Steps",
    "ya": "yes",
    "tidak": "no",
    "Draft": "Draft",
    "Ditetapkan": "Enacted",
    "Belum ada SOP.": "No SOP yet.",
    "Unduh .bpmn": "Download .bpmn",
    "Riwayat versi": "Version history",
    "Diagram BPMN": "BPMN diagram",
    "Diagram dimuat. Geser dengan tetikus; perbesar dengan Ctrl+roda tetikus.":
        "Diagram loaded. Drag with the mouse to move; Ctrl+mouse wheel to zoom.",
    "Diagram tidak dapat ditampilkan:": "The diagram cannot be shown:",
    "Unduh PDF": "Download PDF",
    "Unduh DOCX": "Download DOCX",
    "Buka HTML": "Open HTML",
    "Ekspor BPMN": "Export BPMN",
    "Diagram alir SOP": "SOP flowchart",
    "Diagram alir SOP {kode}, halaman {n} dari {total}":
        "Flowchart of SOP {kode}, page {n} of {total}",
    "SOP ini belum memiliki langkah, sehingga diagram alir dan dokumennya belum dapat dibuat.":
        "This SOP has no steps yet, so its flowchart and documents cannot be made.",
    "Identitas SOP": "SOP identity",
    "Satu butir per baris.": "One item per line.",
    "Nama SOP": "SOP name",
    "Nomor SOP": "SOP number",
    "Tanggal pembuatan": "Date made",
    "Tanggal revisi": "Revision date",
    "Tanggal efektif": "Effective date",
    "Disahkan oleh (jabatan)": "Approved by (position)",
    "Disahkan oleh (nama)": "Approved by (name)",
    "NIP pengesah": "Approver's NIP",
    "18 angka": "18 digits",
    "SOP berstatus ditetapkan dihitung dalam cakupan SOP di dasbor.":
        "Enacted SOPs count towards the SOP coverage on the dashboard.",
    "Dasar hukum": "Legal basis",
    "Kualifikasi pelaksana": "Executor qualifications",
    "Keterkaitan": "Related procedures",
    "Peralatan/perlengkapan": "Equipment",
    "Pencatatan dan pendataan": "Records kept",
    "Simpan identitas": "Save identity",
    "Disahkan oleh": "Approved by",
    "Anda tidak berwenang mengubah SOP OPD ini.": "You may not change the SOPs of this OPD.",
    "No": "No",
    "Kegiatan": "Activity",
    "Pelaksana": "Executor",
    "Kelengkapan": "Requirements",
    "Output": "Output",
    "keputusan": "decision",
    "Belum ada langkah.": "No steps yet.",
    "Model BPMN asal": "Source BPMN model",
    "SOP diturunkan dari model BPMN.": "SOP derived from the BPMN model.",
    "Identitas SOP disimpan.": "SOP identity saved.",
    "Langkah SOP disimpan.": "SOP steps saved.",
    "Catatan penurunan SOP": "Notes on deriving the SOP",
    "Catatan penyimpanan": "Notes on saving",
    "Daftar {scheme} masih sementara: kode yang tidak ada di daftar boleh diketik (mis. dari"
    " daftar resmi) dan disimpan dengan peringatan.":
        "The {scheme} list is still provisional: a code that is not in it may be typed (e.g."
        " from the official list) and is saved with a warning.",
    "Tidak ada langkah yang berubah.": "No step changed.",
    "Langkah belum disimpan.": "The steps were not saved.",
    "Simpan langkah": "Save steps",
    "{field} langkah {n}": "{field} of step {n}",
    "Langkah {n}: {message}": "Step {n}: {message}",
    "Isi mutu baku (kelengkapan, waktu, output) dan keterangan setiap langkah. Kegiatan dan"
    " pelaksana berasal dari model BPMN atau Excel dan diubah di sana.":
        "Fill in each step's quality standards (requirements, time, output) and remarks. The"
        " activities and performers come from the BPMN model or Excel and are changed there.",
    "SOP ini diubah orang lain sejak halaman ini dibuka, jadi identitasnya belum disimpan."
    " Isian Anda masih di bawah; periksa lagi, lalu simpan bila tetap ingin menggantinya.":
        "Someone else changed this SOP since this page was opened, so its identity was not"
        " saved. Your input is still below; check it, then save again if you still want to"
        " replace theirs.",
    "SOP ini diubah orang lain sejak halaman ini dibuka, jadi langkahnya belum disimpan."
    " Isian Anda masih di bawah; periksa lagi, lalu simpan bila tetap ingin menggantinya.":
        "Someone else changed this SOP since this page was opened, so its steps were not"
        " saved. Your input is still below; check it, then save again if you still want to"
        " replace theirs.",
    "SOP sudah sesuai dengan model BPMN; tidak ada perubahan.":
        "The SOP already matches the BPMN model; nothing changed.",
    # reports
    "Dokumen dibuat dari isi repositori saat ini. HTML dibuka di tab baru; PDF, DOCX dan"
    " Markdown diunduh. Dokumen besar butuh beberapa detik.":
        "Documents are made from the repository as it is now. HTML opens in a new tab; PDF,"
        " DOCX and Markdown are downloaded. Large documents take a few seconds.",
    # instansi
    "Instansi": "Government body",
    "Instansi dan periode arsitektur": "Government body and architecture periods",
    "Pemerintah daerah pemilik arsitektur ini dan periode arsitekturnya: tahun, status dokumen,"
    " regulasi penetapan dan versi referensi nasional yang berlaku.":
        "The local government this architecture belongs to, and its architecture periods:"
        " years, document status, the enacting regulation and the national reference version"
        " in force.",
    "Kode wilayah": "Region code",
    "Nama instansi": "Name of the body",
    "Mis. Pemerintah Kota Probolinggo.": "E.g. Pemerintah Kota Probolinggo.",
    "Periode arsitektur pertama": "First architecture period",
    "Tahun mulai dan tahun selesai, mis. 2025-2029.": "Start and end year, e.g. 2025-2029.",
    "Simpan instansi": "Save the body",
    "Catat instansi": "Record the body",
    "Periode arsitektur": "Architecture periods",
    "Periode": "Period",
    "Nomor regulasi": "Regulation number",
    "Tanggal regulasi": "Regulation date",
    "Versi referensi": "Reference version",
    "Belum ada periode arsitektur.": "No architecture period yet.",
    "Ubah periode {periode}": "Change period {periode}",
    "Ditetapkan setelah regulasinya terbit.": "Enacted once its regulation is issued.",
    "Mis. Peraturan Wali Kota Probolinggo Nomor 12 Tahun 2026; kosongkan untuk menghapus.":
        "E.g. Peraturan Wali Kota Probolinggo Nomor 12 Tahun 2026; leave empty to remove it.",
    "Kosongkan untuk menghapus.": "Leave empty to remove it.",
    "Simpan periode {periode}": "Save period {periode}",
    "Catat periode baru": "Record a new period",
    "Periode baru dicatat dengan referensi Perpres 132/2022.":
        "A new period is recorded under the Perpres 132/2022 reference.",
    "Boleh kosong.": "May be left empty.",
    "Catat periode": "Record the period",
    "Hanya admin yang dapat mengubah instansi dan periode arsitekturnya.":
        "Only an admin may change the body and its architecture periods.",
    "Instansi disimpan.": "The body was saved.",
    "Periode arsitektur disimpan.": "The architecture period was saved.",
    "Tidak ada yang berubah.": "Nothing changed.",
    "Periode {periode} dicatat.": "Period {periode} recorded.",
    "Periode {periode} diperbarui: {fields}.": "Period {periode} updated: {fields}.",
    "catat dulu dengan formulir di bawah": "record it first with the form below",
    "admin dapat mencatatnya di halaman ini": "an admin can record it on this page",
    "Instansi atau periodenya diubah orang lain sejak halaman ini dibuka, jadi isian ini belum"
    " disimpan. Halaman ini kini menampilkan data terbaru: muat ulang halaman untuk membuang"
    " isian Anda, atau simpan lagi bila tetap ingin menggantinya.":
        "Someone else changed the body or its periods since this page was opened, so this form"
        " was not saved. The page now shows the latest data: reload the page to discard your"
        " entries, or save again if you still want them to replace that change.",
}


def translate(text: str, lang: str, **values: Any) -> str:
    """`text` (Indonesian) in `lang`, with `{name}` placeholders filled from `values`."""
    out = EN.get(text, text) if lang == "en" else text
    return out.format(**values) if values else out
