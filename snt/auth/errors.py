"""What the account functions refuse with: a Russian message for the person at the form."""

from snt import throttle


class AuthError(ValueError):
    """A Russian message for the person at the form."""


class PasswordNeeded(AuthError):
    """A confirmation link opened in another browser than the one that asked for it. Whoever
    asked may not be whoever reads the mailbox (someone may have registered with the owner's
    address and a password of their own), so the link works only once a new password is set:
    then the mailbox's holder is the only one who can log in."""

    def __init__(self):
        super().__init__("Задайте пароль для входа: ссылка открыта не в том браузере, где её запрашивали.")


class LoginThrottled(AuthError):
    """Too many wrong passwords for this login: no password is checked until `seconds` pass."""

    def __init__(self, seconds: int):
        super().__init__(throttle.wait_message(seconds))
        self.seconds = seconds
