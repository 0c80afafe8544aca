"""«Настройки»: the board's choices from snt.settings, one field per declared setting."""

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from snt.admin.blueprint import acting_account, bp
from snt.forms import BaseForm
from snt.settings import SPECS, SettingsError, display, save_settings, setting


@bp.route("/settings/", methods=["GET", "POST"])
def settings_page() -> ResponseReturnValue:
    form = BaseForm()  # CSRF only: the fields come from SPECS
    errors: dict[str, str] = {}
    typed = {s.key: request.form.get(s.key, "") for s in SPECS if s.kind != "bool"}
    if form.validate_on_submit():
        values = {s.key: request.form.get(s.key, "") for s in SPECS}
        try:
            changed = save_settings(values, by=acting_account())
        except SettingsError as exc:
            errors = exc.problems
        else:
            flash(
                "Настройки сохранены." if changed else "Ничего не изменилось.",
                "success" if changed else "info",
            )
            return redirect(url_for("admin.settings_page"))
    elif form.is_submitted():
        errors = {"": "Форма устарела: обновите страницу и отправьте её ещё раз."}
    fields = [
        {
            "spec": s,
            "value": typed[s.key] if errors and s.kind != "bool" else display(s, setting(s.key)),
            "checked": bool(request.form.get(s.key)) if errors else setting(s.key) is True,
            "error": errors.get(s.key, ""),
        }
        for s in SPECS
    ]
    status = 422 if errors else 200
    return render_template("admin/settings.html", form=form, fields=fields, errors=errors), status
