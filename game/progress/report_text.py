"""Words of the teacher report in each language: data, kept apart from the templates that lay
them out (game/progress/templates/) and the code that fills them.

Every language has every key (a test checks); `{placeholders}` are filled with str.format.
The column names of the CSV files are not here: they stay the same in every language so a
school's spreadsheets and scripts keep working; the sentences in them follow the report.
"""

from __future__ import annotations

REPORT_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Emotion Game: progress report",
        "child_title": "Progress report: {name}",
        "generated": "Made on {date}",
        "filter_child": "Child: {name}",
        "filter_since": "From {date}",
        "all_children": "All children",
        "times_in_zone": "Times are in the kiosk's time zone ({zone}).",
        "class_overview": "Class overview",
        "class_overview_help": ("How often each child showed the asked face in time, out of the "
                                "rounds they tried. Darker blue means more rounds matched; a dash "
                                "means not tried yet. Skipped rounds are counted apart: they are "
                                "not tries."),
        "child": "Child",
        "rounds": "Rounds",
        "tries": "Tries",
        "matched": "Matched",
        "timed_out": "Time ran out",
        "skipped": "Skipped",
        "n_skipped": "{n} skipped",
        "success_rate": "Success rate",
        "median_time": "Median time to match",
        "needs_practice": "Practise next",
        "nothing_to_practise": "—",
        "sessions": "Sessions",
        "last_played": "Last played",
        "no_rounds": "No rounds played yet.",
        "no_children": "No children recorded yet. Add children in the teacher area of the game.",
        "per_emotion": "By emotion",
        "recognise_and_show": "Recognises and shows",
        "recognise_and_show_help": ("Recognises: picture rounds where the child taps the face that fits "
                                    "(right taps of taps). Shows: rounds where the child makes the face "
                                    "for the camera (matched of tries). The numbers above count shown faces."),
        "recognises": "Recognises",
        "shows": "Shows",
        "emotion": "Emotion",
        "what_it_says": "What the numbers say",
        "chart_success": "Success rate per session",
        "chart_time": "Median time to match per session (lower is quicker)",
        "chart_weekly": "Progress over the weeks: success rate per emotion",
        "chart_success_axis": "Matched (%)",
        "chart_time_axis": "Seconds",
        "no_matches": "No matched rounds yet",
        "no_tries": "No tries yet",
        "weekly_table": "Matched of tries, week by week",
        "week": "Week of",
        "more_weeks": "and {n} earlier weeks (see attempts.csv)",
        "recent_sessions": "Recent sessions",
        "session_date": "Date",
        "level": "Level",
        "kiosk": "Kiosk",
        "minutes": "Minutes at the kiosk",
        "minutes_help": ("Minutes at the kiosk count from the start of a session to its end; a session "
                         "the game did not close (for example a power cut) counts to its last round, "
                         "marked *."),
        "face_showed": "The face showed",
        "positive": "Positive",
        "negative": "Negative",
        "neutral": "Neutral or other",
        "noface": "No face",
        "seconds_short": "{value} s",
        "not_tried": "not tried",
        "why": "Why: {reason}",
        "times_one": "once",
        "times_many": "{n} times",
        "reason_none": "No rounds played yet.",
        "reason_not_enough": "Not enough tries yet to compare ({n} per emotion needed).",
        "reason_not_tried": "Not tried yet.",
        "reason_only_skipped": "Skipped {skipped} and not tried yet.",
        "reason_lowest": "Matched {matched} of {tries} tries ({rate}%), the lowest.",
        "reason_more_tries": "Matched {matched} of {tries} so far: too few tries to tell ({n} needed).",
        "reason_all_good": "Every emotion matched every time.",
        "verdict_not_tried": "{emotion}: not tried yet.",
        "verdict_only_skipped": "{emotion}: skipped {skipped}, not tried yet.",
        "verdict_too_few": "{emotion}: matched {matched} of {tries}, too few tries to tell ({n} needed).",
        "verdict_every_time": "{emotion}: matched every time ({matched} of {tries}).",
        "verdict_some_missed": "{emotion}: matched {matched} of {tries} tries ({rate}%).",
        "also_skipped": "Skipped {skipped}.",
        "about_title": "How to read this report",
        "about": ("A round asks for one face. \"Matched\" means the child held that face long enough "
                  "before time ran out; \"time ran out\" means they did not; a skipped round was "
                  "passed over without a try and does not count for or against the child. Success "
                  "rate is matched out of tries (matched and time ran out). Time to match counts "
                  "from the start of the round and only for matched rounds. \"Practise next\" is "
                  "compared once an emotion has at least {n} tries: first an emotion not tried yet, "
                  "then the one with the lowest success rate, then one with too few tries to tell. "
                  "\"The face showed\" is the share of playing time in which the camera saw a "
                  "positive (happy) face, a negative (sad or scared) face, another or neutral "
                  "face, or no face at all."),
        "files": ("Spreadsheet files next to this page: attempts.csv (every round) and children.csv "
                  "(one line per child); their times carry the time zone offset. Each child also has "
                  "a printable page in the folder children/."),
        "contents": "Children in this report",
        "printable": "Printable page",
        "whole_report": "Whole class report",
        "happy": "Happy",
        "sad": "Sad",
        "fear": "Scared",
        "months": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
        "no_child_named": "No child is called {name!r} in this database.",
        "did_you_mean": "Did you mean: {names}?",
        "several_children_named": ("Several children are called {name!r} (case and accents aside): "
                                   "{names}. Type the name exactly as it is written."),
        "more_sessions": "and {n} earlier sessions (see attempts.csv)",
    },
    "id": {
        "title": "Permainan Emosi: laporan perkembangan",
        "child_title": "Laporan perkembangan: {name}",
        "generated": "Dibuat pada {date}",
        "filter_child": "Anak: {name}",
        "filter_since": "Sejak {date}",
        "all_children": "Semua anak",
        "times_in_zone": "Waktu menurut zona waktu kios ({zone}).",
        "class_overview": "Ringkasan kelas",
        "class_overview_help": ("Seberapa sering setiap anak menunjukkan ekspresi yang diminta tepat "
                                "waktu, dari ronde yang dicobanya. Biru lebih tua berarti lebih banyak "
                                "ronde berhasil; tanda strip berarti belum dicoba. Ronde yang "
                                "dilewati dihitung terpisah: itu bukan percobaan."),
        "child": "Anak",
        "rounds": "Ronde",
        "tries": "Percobaan",
        "matched": "Berhasil",
        "timed_out": "Waktu habis",
        "skipped": "Dilewati",
        "n_skipped": "{n} dilewati",
        "success_rate": "Tingkat keberhasilan",
        "median_time": "Median waktu sampai berhasil",
        "needs_practice": "Latih berikutnya",
        "nothing_to_practise": "—",
        "sessions": "Sesi",
        "last_played": "Terakhir bermain",
        "no_rounds": "Belum ada ronde yang dimainkan.",
        "no_children": "Belum ada anak yang tercatat. Tambahkan anak di area guru dalam permainan.",
        "per_emotion": "Per emosi",
        "recognise_and_show": "Mengenali dan menunjukkan",
        "recognise_and_show_help": ("Mengenali: ronde gambar, anak menyentuh wajah yang cocok (sentuhan "
                                    "benar dari semua sentuhan). Menunjukkan: ronde ketika anak membuat "
                                    "ekspresi wajah di depan kamera (berhasil dari percobaan). Angka di atas "
                                    "menghitung wajah yang ditunjukkan."),
        "recognises": "Mengenali",
        "shows": "Menunjukkan",
        "emotion": "Emosi",
        "what_it_says": "Arti angkanya",
        "chart_success": "Tingkat keberhasilan per sesi",
        "chart_time": "Median waktu sampai berhasil per sesi (makin rendah makin cepat)",
        "chart_weekly": "Perkembangan dari minggu ke minggu: tingkat keberhasilan per emosi",
        "chart_success_axis": "Berhasil (%)",
        "chart_time_axis": "Detik",
        "no_matches": "Belum ada ronde yang berhasil",
        "no_tries": "Belum ada percobaan",
        "weekly_table": "Berhasil dari percobaan, minggu demi minggu",
        "week": "Minggu mulai",
        "more_weeks": "dan {n} minggu sebelumnya (lihat attempts.csv)",
        "recent_sessions": "Sesi terakhir",
        "session_date": "Tanggal",
        "level": "Level",
        "kiosk": "Kios",
        "minutes": "Menit di kios",
        "minutes_help": ("Menit di kios dihitung dari awal sesi sampai akhirnya; sesi yang tidak "
                         "ditutup oleh permainan (misalnya karena listrik padam) dihitung sampai "
                         "ronde terakhirnya, ditandai *."),
        "face_showed": "Wajah menunjukkan",
        "positive": "Positif",
        "negative": "Negatif",
        "neutral": "Netral atau lainnya",
        "noface": "Tidak ada wajah",
        "seconds_short": "{value} dtk",
        "not_tried": "belum dicoba",
        "why": "Alasan: {reason}",
        "times_one": "1 kali",
        "times_many": "{n} kali",
        "reason_none": "Belum ada ronde yang dimainkan.",
        "reason_not_enough": "Belum cukup percobaan untuk dibandingkan (perlu {n} per emosi).",
        "reason_not_tried": "Belum dicoba.",
        "reason_only_skipped": "Dilewati {skipped} dan belum dicoba.",
        "reason_lowest": "Berhasil {matched} dari {tries} percobaan ({rate}%), paling rendah.",
        "reason_more_tries": ("Sejauh ini berhasil {matched} dari {tries}: percobaannya belum cukup "
                              "untuk menilai (perlu {n})."),
        "reason_all_good": "Semua emosi selalu berhasil.",
        "verdict_not_tried": "{emotion}: belum dicoba.",
        "verdict_only_skipped": "{emotion}: dilewati {skipped}, belum dicoba.",
        "verdict_too_few": ("{emotion}: berhasil {matched} dari {tries}, percobaannya belum cukup "
                            "untuk menilai (perlu {n})."),
        "verdict_every_time": "{emotion}: selalu berhasil ({matched} dari {tries}).",
        "verdict_some_missed": "{emotion}: berhasil {matched} dari {tries} percobaan ({rate}%).",
        "also_skipped": "Dilewati {skipped}.",
        "about_title": "Cara membaca laporan ini",
        "about": ("Setiap ronde meminta satu ekspresi wajah. \"Berhasil\" berarti anak menahan "
                  "ekspresi itu cukup lama sebelum waktu habis; \"waktu habis\" berarti tidak; ronde "
                  "yang dilewati tidak dicoba dan tidak dihitung untuk maupun melawan anak. Tingkat "
                  "keberhasilan adalah jumlah berhasil dari percobaan (berhasil dan waktu habis). "
                  "Waktu sampai berhasil dihitung dari awal ronde, hanya untuk ronde yang berhasil. "
                  "\"Latih berikutnya\" dibandingkan setelah sebuah emosi dicoba minimal {n} kali: "
                  "pertama emosi yang belum dicoba, lalu yang tingkat keberhasilannya paling rendah, "
                  "lalu yang percobaannya belum cukup untuk menilai. \"Wajah menunjukkan\" adalah "
                  "bagian waktu bermain ketika kamera melihat wajah positif (senang), negatif (sedih "
                  "atau takut), netral atau lainnya, atau tidak melihat wajah."),
        "files": ("Berkas spreadsheet di sebelah halaman ini: attempts.csv (setiap ronde) dan "
                  "children.csv (satu baris per anak); waktunya memuat selisih zona waktu. Setiap anak "
                  "juga punya halaman untuk dicetak di folder children/."),
        "contents": "Anak dalam laporan ini",
        "printable": "Halaman untuk dicetak",
        "whole_report": "Laporan seluruh kelas",
        "happy": "Senang",
        "sad": "Sedih",
        "fear": "Takut",
        "months": "Jan,Feb,Mar,Apr,Mei,Jun,Jul,Agu,Sep,Okt,Nov,Des",
        "no_child_named": "Tidak ada anak bernama {name!r} di basis data ini.",
        "did_you_mean": "Mungkin maksudnya: {names}?",
        "several_children_named": ("Ada beberapa anak bernama {name!r} (tanpa melihat huruf besar "
                                   "dan aksen): {names}. Ketik namanya persis seperti tertulis."),
        "more_sessions": "dan {n} sesi sebelumnya (lihat attempts.csv)",
    },
}

LANGUAGES = tuple(REPORT_TEXT)
