"""Words of the teacher report in each language: data, kept apart from the code that lays it out.

Every language has every key (a test checks); `{placeholders}` are filled with str.format.
"""

from __future__ import annotations

REPORT_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Emotion Game: progress report",
        "generated": "Made on {date}",
        "filter_child": "Child: {name}",
        "filter_since": "From {date}",
        "all_children": "All children",
        "class_overview": "Class overview",
        "class_overview_help": ("How often each child showed the asked face in time. Darker blue "
                                "means more rounds matched; a dash means not tried yet."),
        "child": "Child",
        "rounds": "Rounds",
        "matched": "Matched",
        "success_rate": "Success rate",
        "median_time": "Median time to match",
        "needs_practice": "Practise next",
        "nothing_to_practise": "—",
        "sessions": "Sessions",
        "last_played": "Last played",
        "no_rounds": "No rounds played yet.",
        "no_children": "No children recorded yet. Add children in the teacher area of the game.",
        "per_emotion": "By emotion",
        "emotion": "Emotion",
        "chart_success": "Success rate per session",
        "chart_time": "Median time to match per session (lower is quicker)",
        "chart_success_axis": "Matched (%)",
        "chart_time_axis": "Seconds",
        "no_matches": "No matched rounds yet",
        "recent_sessions": "Recent sessions",
        "session_date": "Date",
        "kiosk": "Kiosk",
        "minutes": "Minutes",
        "face_showed": "The face showed",
        "positive": "Positive",
        "negative": "Negative",
        "neutral": "Neutral or other",
        "noface": "No face",
        "seconds_short": "{value} s",
        "not_tried": "not tried",
        "why": "Why: {reason}",
        "reason_not_tried": "Not tried yet.",
        "reason_lowest": "Matched {matched} of {attempts} times ({rate}%), the lowest.",
        "reason_not_enough": "Not enough rounds yet to compare ({n} per emotion needed).",
        "reason_all_good": "All emotions matched every time.",
        "reason_none": "No rounds played yet.",
        "about_title": "How to read this report",
        "about": ("A round asks for one face. \"Matched\" means the child held that face long enough "
                  "before time ran out. Time to match counts from the start of the round and only "
                  "for matched rounds. \"Practise next\" is the emotion with the lowest success "
                  "rate once the child has tried each at least {n} times. \"The face showed\" is "
                  "the share of playing time in which the camera saw a positive (happy) face, a "
                  "negative (sad or scared) face, another or neutral face, or no face at all."),
        "files": "Spreadsheet files next to this page: attempts.csv (every round) and children.csv (one line per child).",
        "contents": "Children in this report",
        "happy": "Happy",
        "sad": "Sad",
        "fear": "Scared",
        "months": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
        "no_child_named": "No child is called {name!r} in this database.",
        "did_you_mean": "Did you mean: {names}?",
        "more_sessions": "and {n} earlier sessions (see attempts.csv)",
    },
    "id": {
        "title": "Emotion Game: laporan perkembangan",
        "generated": "Dibuat pada {date}",
        "filter_child": "Anak: {name}",
        "filter_since": "Sejak {date}",
        "all_children": "Semua anak",
        "class_overview": "Ringkasan kelas",
        "class_overview_help": ("Seberapa sering setiap anak menunjukkan ekspresi yang diminta tepat "
                                "waktu. Biru lebih tua berarti lebih banyak ronde berhasil; tanda "
                                "strip berarti belum dicoba."),
        "child": "Anak",
        "rounds": "Ronde",
        "matched": "Berhasil",
        "success_rate": "Tingkat keberhasilan",
        "median_time": "Median waktu sampai berhasil",
        "needs_practice": "Latih berikutnya",
        "nothing_to_practise": "—",
        "sessions": "Sesi",
        "last_played": "Terakhir bermain",
        "no_rounds": "Belum ada ronde yang dimainkan.",
        "no_children": "Belum ada anak yang tercatat. Tambahkan anak di area guru dalam permainan.",
        "per_emotion": "Per emosi",
        "emotion": "Emosi",
        "chart_success": "Tingkat keberhasilan per sesi",
        "chart_time": "Median waktu sampai berhasil per sesi (makin rendah makin cepat)",
        "chart_success_axis": "Berhasil (%)",
        "chart_time_axis": "Detik",
        "no_matches": "Belum ada ronde yang berhasil",
        "recent_sessions": "Sesi terakhir",
        "session_date": "Tanggal",
        "kiosk": "Kios",
        "minutes": "Menit",
        "face_showed": "Wajah menunjukkan",
        "positive": "Positif",
        "negative": "Negatif",
        "neutral": "Netral atau lainnya",
        "noface": "Tidak ada wajah",
        "seconds_short": "{value} dtk",
        "not_tried": "belum dicoba",
        "why": "Alasan: {reason}",
        "reason_not_tried": "Belum dicoba.",
        "reason_lowest": "Berhasil {matched} dari {attempts} kali ({rate}%), paling rendah.",
        "reason_not_enough": "Belum cukup ronde untuk dibandingkan (perlu {n} per emosi).",
        "reason_all_good": "Semua emosi selalu berhasil.",
        "reason_none": "Belum ada ronde yang dimainkan.",
        "about_title": "Cara membaca laporan ini",
        "about": ("Setiap ronde meminta satu ekspresi wajah. \"Berhasil\" berarti anak menahan "
                  "ekspresi itu cukup lama sebelum waktu habis. Waktu sampai berhasil dihitung dari "
                  "awal ronde, hanya untuk ronde yang berhasil. \"Latih berikutnya\" adalah emosi "
                  "dengan tingkat keberhasilan terendah setelah anak mencoba setiap emosi minimal "
                  "{n} kali. \"Wajah menunjukkan\" adalah bagian waktu bermain ketika kamera melihat "
                  "wajah positif (senang), negatif (sedih atau takut), netral atau lainnya, atau "
                  "tidak melihat wajah."),
        "files": "Berkas spreadsheet di sebelah halaman ini: attempts.csv (setiap ronde) dan children.csv (satu baris per anak).",
        "contents": "Anak dalam laporan ini",
        "happy": "Senang",
        "sad": "Sedih",
        "fear": "Takut",
        "months": "Jan,Feb,Mar,Apr,Mei,Jun,Jul,Agu,Sep,Okt,Nov,Des",
        "no_child_named": "Tidak ada anak bernama {name!r} di basis data ini.",
        "did_you_mean": "Mungkin maksudnya: {names}?",
        "more_sessions": "dan {n} sesi sebelumnya (lihat attempts.csv)",
    },
}

LANGUAGES = tuple(REPORT_TEXT)
