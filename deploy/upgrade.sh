#!/usr/bin/env bash
# The site's new version, without fear:
#
#   sudo /opt/snt/app/deploy/upgrade.sh
#
# 1. a copy of the database (flask backup, into /var/backups/snt/upgrade-DATE/);
# 2. the new code (git pull --ff-only from where it was installed from);
# 3. its packages (pip install -r requirements.txt);
# 4. the site and its task worker stop, the migrations run (flask db upgrade), both start again.
# If the migration fails, the copy goes back into the database, the code goes back to the
# version that ran before, the site starts as it was, and the script exits with status 1.
# Running it again with nothing new just repeats steps 1, 3 and 4 (harmless).
#
# --test (or SNT_INSTALL_TEST=1): no systemctl (tests/test_deploy.py, with SNT_INSTALL_ROOT).
set -euo pipefail

say() { printf '%s\n' "$*"; }
die() { printf 'upgrade.sh: %s\n' "$*" >&2; exit 1; }

TEST=${SNT_INSTALL_TEST:-0}
case "${1:-}" in
  --test) TEST=1 ;;
  -h | --help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
  "") ;;
  *) die "неизвестный параметр $1 (см. --help)" ;;
esac
[ "$(id -u)" -eq 0 ] || die "запустите через sudo"

HERE=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source=deploy/paths.sh disable=SC1091
. "$HERE/paths.sh"
if [ ! -f "$ENV_FILE" ] || [ ! -d "$APP_DIR/.git" ]; then
  die "сайт не установлен ($ENV_FILE, $APP_DIR): сначала deploy/install.sh"
fi
flask() { "$BIN_DIR/snt-flask" "$@"; }
site() {
  if [ "$TEST" = 1 ]; then say "режим проверки: не выполнено: systemctl $*"; else systemctl "$@"; fi
}
git() { command git -c safe.directory='*' -C "$APP_DIR" "$@"; }
# The site, and its task worker when installed (install.sh run again adds it to an older site).
UNITS=(snt.service)
[ ! -f "$UNIT_DIR/snt-worker.service" ] || UNITS+=(snt-worker.service)
packages() { "$APP_DIR/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$APP_DIR/requirements.txt"; }

say "== Копия базы"
copy_dir="$BACKUP_DIR/upgrade-$(date +%Y%m%d-%H%M%S)"
install -d -m 700 -o "$SNT_USER" -g "$SNT_USER" "$copy_dir"
flask backup "$copy_dir/"
copy=$(find "$copy_dir" -maxdepth 1 -type f | head -n 1)
[ -n "$copy" ] || die "копия базы не найдена в $copy_dir"

say "== Новая версия"
before=$(git rev-parse HEAD)
git pull --quiet --ff-only
after=$(git rev-parse HEAD)
if [ "$before" = "$after" ]; then
  say "нового кода нет ($(git log -1 --format='%h %s'))"
else
  git log --format='  %h %s' "$before..$after"
fi
packages

say "== Миграции"
site stop "${UNITS[@]}"
if ! flask db upgrade; then
  say "Миграция не прошла: возвращаю копию базы $copy и версию $before" >&2
  flask restore "$copy" --yes
  git reset --quiet --hard "$before"
  packages
  site start "${UNITS[@]}"
  die "обновление отменено; сайт работает на прежней версии с прежней базой"
fi
site start "${UNITS[@]}"
say "Готово: версия $(git log -1 --format='%h %s'); копия базы до обновления: $copy"
