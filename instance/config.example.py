# Copy to instance/config.py and edit; environment variables SNT_* override these.
# SECRET_KEY = "a long random string"  # default: generated into instance/secret_key
# NAME = "СНТ «Аникино»"
# SHORT_NAME = "СНТ Аникино"  # used in SMS
# SITE_URL = "https://snt-anikino.ru"  # links in emails are built from this
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://snt:password@localhost/snt"
# MAIL_SERVER = "smtp.yandex.ru"
# MAIL_PORT = 465
# MAIL_USE_SSL = True
# MAIL_USERNAME = "noreply@snt-anikino.ru"
# MAIL_PASSWORD = "..."
# MAIL_DEFAULT_SENDER = "noreply@snt-anikino.ru"
# BOARD_EMAIL = "pravlenie@snt-anikino.ru"
# SMS_BACKEND = "smsru"
# SMSRU_API_ID = "..."
