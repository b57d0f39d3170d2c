"""A real SMTP server on loopback (aiosmtpd), and the site's mail pointed at it."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class Mailbox:
    """Keeps every message the server accepted; refuses some recipients."""

    def __init__(self):
        self.messages = []
        self.refuse = {}  # address -> SMTP reply, e.g. "550 5.1.1 No such user"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)
        return "250 Message accepted"

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mailbox(settings):
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield box
    controller.stop()


def part(message, kind):
    """The text of `message`'s text/plain or text/html part."""
    return message.get_body(preferencelist=(kind,)).get_content()
