# shellcheck shell=bash disable=SC2034  # the variables are for the scripts that source this
# Where the site lives, shared by install.sh and upgrade.sh. SNT_INSTALL_ROOT moves every path
# under one folder (the tests install there); the unit and nginx files name the real paths, and
# render() rewrites them to these.
ROOT=${SNT_INSTALL_ROOT:-}
SNT_USER=${SNT_USER:-snt}
APP_DIR=$ROOT/opt/snt/app
ENV_FILE=$ROOT/etc/snt/snt.env
DATA_DIR=$ROOT/var/lib/snt
BACKUP_DIR=$ROOT/var/backups/snt
UNIT_DIR=$ROOT/etc/systemd/system
NGINX_DIR=$ROOT/etc/nginx
BIN_DIR=$ROOT/usr/local/bin

# A deploy/ template with this installation's paths, user and domain (DOMAIN may be unset).
render() {
  sed -e "s|/opt/snt/app|$APP_DIR|g" \
    -e "s|/etc/snt/snt.env|$ENV_FILE|g" \
    -e "s|/var/lib/snt|$DATA_DIR|g" \
    -e "s|/var/backups/snt|$BACKUP_DIR|g" \
    -e "s|^User=snt$|User=$SNT_USER|; s|^Group=snt$|Group=$SNT_USER|; s|-u snt |-u $SNT_USER |" \
    -e "s|snt\.example\.ru|${DOMAIN:-snt.example.ru}|g" \
    "$1"
}
