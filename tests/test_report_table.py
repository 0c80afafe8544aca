"""One report object, two forms: the shell's text lines and the browser's table."""

from snt.reports import Change, Report, report_lines, report_table


def test_the_table_lists_errors_first_each_kind_by_line_with_a_count_per_kind():
    report = Report("payments", "оплаты.csv", dry_run=True, plots={2: "268", 5: "12а", 6: "269", 10: "270"})
    for line in (10, 2, 6):
        report.error(line, f"ошибка в строке {line}")
    report.error(None, "столбец «Сумма» не найден")
    report.warn(5, "в номере участка «12a» латинская буква вместо русской; принято как «12а»")
    table = report_table(report)
    assert table.counts == ["4 ошибки", "1 предупреждение"]
    assert [(r.title, r.line, r.plot) for r in table.rows] == [
        ("ошибка", None, ""),
        ("ошибка", 2, "268"),
        ("ошибка", 6, "269"),
        ("ошибка", 10, "270"),
        ("предупреждение", 5, "12а"),
    ]
    # The shell's text is what it was: in the order found, with its words.
    assert report_lines(report)[:3] == [
        "Файл «оплаты.csv»: найдено ошибок — 4. Ничего не записано.",
        "  ОШИБКА строка 10: ошибка в строке 10",
        "  ОШИБКА строка 2: ошибка в строке 2",
    ]


def test_changes_keep_their_text_for_the_shell_and_their_line_and_plot_for_the_table():
    report = Report("readings", "май.csv")
    report.change("уч. 269, 01.06.2022: день 9532, ночь 3118 → день 9530, ночь 3118", 7, "269")
    report.change("тариф с 01.01.2023: 5,00 ₽")  # about no line or plot: a summary line
    report.list_row("01.06.2022: новое показание сумма 15260", 3, "270")  # only the table lists it
    report.count("новых показаний", 1)
    assert report.changes == [
        "уч. 269, 01.06.2022: день 9532, ночь 3118 → день 9530, ночь 3118",
        "тариф с 01.01.2023: 5,00 ₽",
    ]
    assert isinstance(report.changes[0], Change) and report.changes[0].line == 7
    table = report_table(report)
    assert table.counts == ["2 изменения"]
    assert table.summary == ["тариф с 01.01.2023: 5,00 ₽", "Итого: новых показаний — 1."]
    assert [(r.line, r.plot, r.text) for r in table.rows] == [
        (3, "270", "01.06.2022: новое показание сумма 15260"),
        (7, "269", "01.06.2022: день 9532, ночь 3118 → день 9530, ночь 3118"),
    ]
    assert "01.06.2022: новое показание" not in "\n".join(report_lines(report))


def test_a_very_long_table_is_cut_and_says_how_many_rows_are_left_out():
    report = Report("readings", "год.csv")
    for line in range(2, 13):
        report.list_row("новое показание", line, str(line))
    table = report_table(report, max_rows=5)
    assert len(table.rows) == 5 and table.more == 6 and table.counts == ["11 изменений"]
