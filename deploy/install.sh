#!/usr/bin/env bash
# From a fresh Debian 12 server to the site on HTTPS, in one command:
#
#   sudo git clone URL /opt/snt/app
#   sudo /opt/snt/app/deploy/install.sh snt.example.ru --admin-email chair@snt.example.ru
#
# Packages, the system user `snt`, the settings file /etc/snt/snt.env (with a new secret key),
# the database, the systemd units (site, task worker, nightly backup, daily readings reminder),
# nginx, the Let's Encrypt certificate and the first board account. Its password is the first
# line of standard input, or, when standard input is a terminal or empty, generated and printed
# once. Running it again changes nothing in place (settings, database, account, certificate).
#
# Options:
#   --admin-email EMAIL  the first board account (required)
#   --postgres           PostgreSQL on this server instead of SQLite (role, database, password)
#   --test               test mode (or SNT_INSTALL_TEST=1): everything but systemctl and certbot;
#                        with SNT_INSTALL_ROOT=DIR every path lives under DIR (tests/test_deploy.py)
set -euo pipefail

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,17s/^# \{0,1\}//p' "$0"; }

DOMAIN=""
ADMIN_EMAIL=""
POSTGRES=0
TEST=${SNT_INSTALL_TEST:-0}
while [ $# -gt 0 ]; do
  case "$1" in
    --admin-email) [ $# -ge 2 ] || die "после --admin-email нужен адрес"; ADMIN_EMAIL=$2; shift 2 ;;
    --admin-email=*) ADMIN_EMAIL=${1#*=}; shift ;;
    --postgres) POSTGRES=1; shift ;;
    --test) TEST=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) die "неизвестный параметр $1 (см. --help)" ;;
    *) [ -z "$DOMAIN" ] || die "домен указан дважды: $DOMAIN и $1"; DOMAIN=$1; shift ;;
  esac
done
[ -n "$DOMAIN" ] || { usage; die "укажите домен сайта, например snt.example.ru"; }
[ -n "$ADMIN_EMAIL" ] || die "укажите --admin-email: адрес первой учётной записи правления"
[[ $DOMAIN =~ ^[A-Za-z0-9.-]+$ ]] || die "домен $DOMAIN: только латинские буквы, цифры, точки и дефисы (кириллический домен — в punycode, xn--…)"
[[ $ADMIN_EMAIL =~ ^[^@[:space:]]+@[^@[:space:]]+$ ]] || die "адрес $ADMIN_EMAIL не похож на электропочту"
[ "$(id -u)" -eq 0 ] || die "запустите через sudo: нужны apt-get, useradd, systemctl"

SOURCE=$(cd "$(dirname "$0")/.." && pwd -P)
# shellcheck source=deploy/paths.sh disable=SC1091
. "$SOURCE/deploy/paths.sh"

say "== Пакеты"
PACKAGES="python3 python3-venv git nginx curl"
[ "$TEST" = 1 ] || PACKAGES="$PACKAGES certbot python3-certbot-nginx"
[ "$POSTGRES" = 0 ] || PACKAGES="$PACKAGES postgresql"
missing=""
for package in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing="$missing $package"
done
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086  # the list is meant to split into package names
  apt-get install -y -q --no-install-recommends $missing || { apt-get update -q && apt-get install -y -q --no-install-recommends $missing; }
fi

say "== Пользователь $SNT_USER и папки"
id -u "$SNT_USER" >/dev/null 2>&1 || useradd --system --home-dir "$DATA_DIR" --shell /usr/sbin/nologin "$SNT_USER"
install -d -m 755 "$(dirname "$APP_DIR")" "$UNIT_DIR" "$BIN_DIR" "$NGINX_DIR/sites-available" "$NGINX_DIR/sites-enabled"
install -d -m 700 -o "$SNT_USER" -g "$SNT_USER" "$DATA_DIR" "$DATA_DIR/files" "$BACKUP_DIR"
install -d -m 700 "$(dirname "$ENV_FILE")"

say "== Код сайта в $APP_DIR"
# The code belongs to root and is only read by the site; it writes to $DATA_DIR alone.
if [ "$SOURCE" != "$APP_DIR" ]; then
  if [ ! -d "$APP_DIR/.git" ]; then
    git -c safe.directory='*' clone --quiet "$SOURCE" "$APP_DIR"
  else
    say "уже есть; обновляет его deploy/upgrade.sh"
  fi
fi
# Debian's own Python (apt's python3), not whatever python3 comes first on root's PATH.
[ -x "$APP_DIR/.venv/bin/python" ] || /usr/bin/python3 -m venv "$APP_DIR/.venv"
"$APP_DIR/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$APP_DIR/requirements.txt"

say "== Настройки $ENV_FILE"
if [ -f "$ENV_FILE" ]; then
  say "уже есть; не изменены"
  if ! grep -q '^SNT_TASK_QUEUE_URL=' "$ENV_FILE"; then
    # Installed before the task worker: its queue goes where the site may write.
    printf '%s\n' "# The queue of long jobs (snt-worker.service runs them)." \
      "SNT_TASK_QUEUE_URL=sqlite:///$DATA_DIR/tasks.sqlite3" >>"$ENV_FILE"
    say "добавлена очередь фоновых задач: SNT_TASK_QUEUE_URL"
  fi
else
  secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
  database="sqlite:///$DATA_DIR/snt.sqlite3"
  if [ "$POSTGRES" = 1 ]; then
    pg_password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    if [ "$(runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'snt'")" != 1 ]; then
      runuser -u postgres -- psql -q -c "CREATE ROLE snt LOGIN PASSWORD '$pg_password'"
    else
      runuser -u postgres -- psql -q -c "ALTER ROLE snt PASSWORD '$pg_password'"
    fi
    if [ "$(runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'snt'")" != 1 ]; then
      runuser -u postgres -- createdb --owner snt --encoding UTF8 --template template0 snt
    fi
    database="postgresql+psycopg://snt:$pg_password@127.0.0.1:5432/snt"
  fi
  umask 077
  cat >"$ENV_FILE" <<ENV
# Settings of the SNT site: read by the systemd units (deploy/snt*.service) and by snt-flask.
# After a change: sudo systemctl restart snt. Numbers and true/false are written as in JSON.
SNT_SITE_URL=https://$DOMAIN
# Signs sessions and the links in emails; the same on every server of one site. Keep it secret.
SNT_SECRET_KEY=$secret
SNT_SQLALCHEMY_DATABASE_URI=$database
# Documents, saved mail, photos; shared storage when several servers run the site.
SNT_FILES_DIR=$DATA_DIR/files
# One nginx in front: the visitor's address comes from its X-Forwarded-For.
SNT_PROXY_COUNT=1
# Where the board's mail goes besides the board accounts (failed backups, contact form).
SNT_BOARD_EMAIL=$ADMIN_EMAIL
# The queue of long jobs (snt-worker.service runs them); redis://127.0.0.1:6379/1 with several servers.
SNT_TASK_QUEUE_URL=sqlite:///$DATA_DIR/tasks.sqlite3
# Site processes. More than 1 only with the rate limits in Redis:
# SNT_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0
WEB_CONCURRENCY=1
# Mail (without a server, letters are saved in $DATA_DIR/files/outbox):
# SNT_MAIL_SERVER=smtp.example.ru
# SNT_MAIL_PORT=465
# SNT_MAIL_USE_SSL=true
# SNT_MAIL_USERNAME=noreply@$DOMAIN
# SNT_MAIL_PASSWORD=…
# SNT_MAIL_DEFAULT_SENDER=noreply@$DOMAIN
ENV
  umask 022
  say "записаны (новый секретный ключ)"
fi

say "== Команда snt-flask"
render "$SOURCE/deploy/snt-flask" >"$BIN_DIR/snt-flask"
chmod 755 "$BIN_DIR/snt-flask"

say "== База данных"
"$BIN_DIR/snt-flask" db upgrade

say "== Учётная запись правления $ADMIN_EMAIL"
password=""
if [ ! -t 0 ]; then
  IFS= read -r password || true
fi
generated=0
if [ -z "$password" ]; then
  password=$(python3 -c 'import secrets; print("Snt-" + secrets.token_urlsafe(12))')
  generated=1
fi
created=$(printf '%s\n' "$password" | "$BIN_DIR/snt-flask" create-user --email "$ADMIN_EMAIL" --role board --if-missing --password-stdin)
say "$created"
if [ "$generated" = 1 ] && [[ $created != *"уже есть"* ]]; then
  say "Пароль $ADMIN_EMAIL (показан один раз, сохраните его): $password"
fi

say "== systemd: сайт, обработчик задач, ночная копия базы, напоминание о показаниях"
units=()
for unit in snt.service snt-worker.service snt-backup.service snt-backup.timer \
  snt-readings-remind.service snt-readings-remind.timer; do
  render "$SOURCE/deploy/$unit" >"$UNIT_DIR/$unit"
  units+=("$UNIT_DIR/$unit")
done
# Offline check of the unit files (works without systemd running): unknown keys, missing programs.
problems=$(systemd-analyze verify "${units[@]}" 2>&1) || die "systemd-analyze verify: $problems"
[ -z "$problems" ] || die "systemd-analyze verify: $problems"
say "systemd-analyze verify: ошибок нет"

say "== nginx"
site="$NGINX_DIR/sites-available/snt"
if [ -f "$site" ] && grep -q 'managed by Certbot' "$site"; then
  say "$site уже дополнен certbot; не изменён"
else
  render "$SOURCE/deploy/nginx-snt.conf" >"$site"
fi
ln -sfn "$site" "$NGINX_DIR/sites-enabled/snt"
rm -f "$NGINX_DIR/sites-enabled/default"

SERVICES="snt.service snt-worker.service"
TIMERS="snt-backup.timer snt-readings-remind.timer"
if [ "$TEST" = 1 ]; then
  # No systemd as PID 1 and no public address here: check what can be checked, print the rest.
  cat >"$NGINX_DIR/nginx-check.conf" <<NGINX
pid $ROOT/nginx-check.pid;
error_log stderr;
events {}
http { include /etc/nginx/mime.types; access_log off; include $NGINX_DIR/sites-enabled/*; }
NGINX
  nginx -t -q -c "$NGINX_DIR/nginx-check.conf"
  say "режим проверки: nginx -t прошёл; не выполнено:"
  say "  systemctl daemon-reload && systemctl enable --now $SERVICES $TIMERS && systemctl reload nginx"
  say "  certbot --nginx -d $DOMAIN -m $ADMIN_EMAIL --redirect"
  exit 0
fi

systemctl daemon-reload
# shellcheck disable=SC2086  # the lists are meant to split into unit names
systemctl enable --quiet $SERVICES $TIMERS
# shellcheck disable=SC2086
systemctl restart $SERVICES
# shellcheck disable=SC2086
systemctl start $TIMERS
nginx -t -q
systemctl reload nginx

say "== Сертификат Let's Encrypt для $DOMAIN"
certbot --nginx --non-interactive --agree-tos --keep-until-expiring --redirect -m "$ADMIN_EMAIL" -d "$DOMAIN"

for _ in 1 2 3 4 5 6 7 8 9 10; do
  curl -fsS -o /dev/null http://127.0.0.1:8000/healthz && break
  sleep 1
done
curl -fsS http://127.0.0.1:8000/healthz >/dev/null || die "сайт или обработчик задач не ответил (/healthz); журнал: journalctl -u snt -u snt-worker -n 50"
say "Готово: https://$DOMAIN (вход — $ADMIN_EMAIL). Журнал: journalctl -u snt -f"
