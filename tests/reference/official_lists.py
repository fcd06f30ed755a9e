"""Official code lists the reference-import tests load (their own data, shaped to the demo)."""

# The demo's APL-16 (JDIH, BAG-HUKUM) is classified RAA.02.01, which the list below drops;
# APL-02 (SRIKANDI) keeps RAA.01.02.
OFFICIAL_RAA = """kode;nama;induk;keterangan
RAA.01;Aplikasi Umum;;
RAA.01.01;Aplikasi Umum Layanan Publik;RAA.01;
RAA.01.02;Aplikasi Umum Administrasi Pemerintahan (resmi);RAA.01;dipakai semua instansi
RAA.02;Aplikasi Khusus;;
RAA.02.02;Aplikasi Khusus Fungsi Tertentu;RAA.02;
RAA.02.02.01;Aplikasi Khusus Kepegawaian;RAA.02.02;
"""
